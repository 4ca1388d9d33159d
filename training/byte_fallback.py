"""Byte fallback for a trained sentencepiece model: 256 byte pieces appended, so any text can be spelt.

Without it a character the tokenizer never saw (ł, ø, 東) becomes the unknown piece and cannot be copied into
the translation; with it, it is spelt as its UTF-8 bytes (`<0xC5><0x82>`), which decode back to the character.
The existing pieces keep their ids, so a model trained on the old vocabulary only needs 256 more embedding rows.
"""

from __future__ import annotations


def with_byte_fallback(spm_bytes: bytes) -> bytes:
    """The serialized model with byte pieces <0x00>..<0xFF> after the existing ones (unchanged if it has them)."""
    from sentencepiece import sentencepiece_model_pb2 as model_pb2  # needs protobuf (requirements-dev.txt)

    model = model_pb2.ModelProto()
    model.ParseFromString(spm_bytes)
    if model.trainer_spec.byte_fallback:
        return spm_bytes
    for value in range(256):
        piece = model.pieces.add()
        piece.piece, piece.type, piece.score = f"<0x{value:02X}>", model_pb2.ModelProto.SentencePiece.BYTE, 0.0
    model.trainer_spec.byte_fallback = True
    return model.SerializeToString()


def grown_embeddings(weight, size: int):
    """[V_old, E] -> [size, E]: the old rows kept, the new ones at their mean plus a little noise, so that new byte
    pieces begin as an average piece."""
    import torch

    extra = weight.mean(dim=0) + 0.01 * torch.randn(size - weight.shape[0], weight.shape[1])  # [size - V_old, E]
    return torch.cat([weight, extra])
