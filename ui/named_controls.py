"""Gradio controls whose own range and choice checks name the control ("max_new_tokens: Value 1000000000 is
greater than maximum value 512."), so a value sent straight to the API gets a message that says which one is wrong.
Same class names as Gradio's, so the browser renders them as the usual components."""

from __future__ import annotations

import html

import gradio as gr


class _NamesItsErrors:
    def preprocess(self, payload):
        try:
            return super().preprocess(payload)
        except gr.Error as error:
            message = f"{self.label or 'a control'}: {error.message}"[:400]
            raise gr.Error(html.escape(message, quote=False), print_exception=False) from None  # the modal renders HTML


class Slider(_NamesItsErrors, gr.Slider):
    pass


class Dropdown(_NamesItsErrors, gr.Dropdown):
    pass


class Radio(_NamesItsErrors, gr.Radio):
    pass


class CheckboxGroup(_NamesItsErrors, gr.CheckboxGroup):
    pass
