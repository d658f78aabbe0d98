"""Where unbabel-comet and transformers 5 disagree, mended in one place.

unbabel-comet 2.2.7 (the latest) unpacks an XLM-R forward pass as ``(last, pooled, layers)``;
transformers 5 returns no pooled output when the model has no pooling layer, which COMET builds
without, so every prediction fails with "not enough values to unpack". The mend asks the model for
named outputs instead. ``tests/eval/test_comet.py`` scores with a real (tiny) COMET model, so a
change on either side fails a named test.
"""
from __future__ import annotations

_MENDED = "_tarjama_named_outputs"


def mend_xlmr_encoder() -> None:
    """Make COMET's XLM-R encoder read the model's outputs by name (idempotent)."""
    from comet.encoders.xlmr import XLMREncoder

    if getattr(XLMREncoder.forward, _MENDED, False):
        return

    def forward(self, input_ids, attention_mask, **kwargs):
        output = self.model(input_ids=input_ids, attention_mask=attention_mask,
                            output_hidden_states=True, return_dict=True)
        last = output.last_hidden_state
        return {"sentemb": last[:, 0, :], "wordemb": last, "all_layers": output.hidden_states,
                "attention_mask": attention_mask}

    setattr(forward, _MENDED, True)
    XLMREncoder.forward = forward
