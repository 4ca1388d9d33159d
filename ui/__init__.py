"""Quill's Gradio user interface: the chat shell, the tabs and their plain-function handlers."""
