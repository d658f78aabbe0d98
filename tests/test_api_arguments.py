"""Class 1 of issue 30: the Python API checks its arguments where they come in. This test walks
the whole public API (every function in ``tarjama.__all__``, every settings object's and stage's
constructor, the stages' public methods), reads each signature, and gives each annotated argument
in turn values of the wrong type, generated from its annotation: each call must raise TypeError or
InputError naming the argument, before any work."""
from __future__ import annotations

import inspect
import typing
from pathlib import Path

import pytest

import tarjama
from tarjama._checks import argument_types, fits
from tarjama.errors import InputError

#: Values of many types; for each argument, those its annotation does not accept are given.
WRONG = [None, b"bytes", 5, 2.5, True, "text", ["a", 1], ("a", None), {"a": 1}, object(),
         Path("x.txt")]


def _valid(annotation):
    """A value the annotation accepts, from a small pool, or ``None`` when the pool has none."""
    refset = tarjama.ReferenceSet(sources=None, references=(("a",),))
    pool = ["best", 1, 1.0, False, ["a"], [["a"]], Path("x.txt"), tarjama.ModelSettings("best"),
            tarjama.GenerationOptions(), tarjama.SummaryOptions(), refset,
            tarjama.EvalRun(refset, (), (), "words", 1, 1), {"base": ["a"]}]
    return next((value for value in pool if fits(value, annotation)), None)


def _public_callables():
    names = [name for name in tarjama.__all__ if not name.startswith("_")]
    found = []
    for name in names:
        target = getattr(tarjama, name)
        if inspect.isfunction(target) or inspect.isclass(target) and (name.endswith(("Settings", "Options"))
                                          or name in ("Translator", "Summarizer", "Pipeline")):
            found.append((name, target))
    return found


def _cases():
    cases = []
    for name, target in _public_callables():
        hints = argument_types(target.__init__ if inspect.isclass(target) else target)
        signature = inspect.signature(target)
        for parameter in signature.parameters.values():
            if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL) \
                    or parameter.name not in hints:
                continue
            for value in WRONG:
                if not fits(value, hints[parameter.name]):
                    cases.append(pytest.param(name, target, parameter.name, value,
                                              id=f"{name}-{parameter.name}-{type(value).__name__}"))
    return cases


CASES = _cases()


def _call(target, argument, value):
    hints = argument_types(target.__init__ if inspect.isclass(target) else target)
    args, kwargs = [], {}
    for parameter in inspect.signature(target).parameters.values():
        if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
            continue
        if parameter.name == argument:
            given = value
        elif parameter.default is parameter.empty:
            given = _valid(hints.get(parameter.name, typing.Any))
        else:
            continue
        if parameter.kind is parameter.POSITIONAL_ONLY:
            args.append(given)
        else:
            kwargs[parameter.name] = given
    return target(*args, **kwargs)


@pytest.mark.parametrize(("name", "target", "argument", "value"), CASES)
def test_a_wrong_type_is_refused_naming_the_argument(name, target, argument, value):
    with pytest.raises((TypeError, InputError)) as raised:
        _call(target, argument, value)
    message = str(raised.value)
    assert argument in message, f"{name}({argument}={value!r}): {message}"
    assert "\n" not in message


def test_the_walk_covers_the_public_api():
    callables = {name for name, *_ in (case.values for case in CASES)}
    print(f"\nAPI walk: {len(callables)} public callables, "
          f"{len({(c.values[0], c.values[2]) for c in CASES})} arguments, {len(CASES)} wrong-type "
          f"calls, each refused with TypeError or InputError naming the argument")
    assert {"translate", "summarize", "evaluate", "split_sentences", "load_reference_set",
            "ModelSettings", "GenerationOptions", "TranslatorSettings", "Translator",
            "Summarizer", "Pipeline"} <= callables


@pytest.mark.parametrize(("call", "argument"), [
    (lambda: tarjama.evaluate("a b c", [["a b c"]]), "hypotheses"),
    (lambda: tarjama.evaluate(["a"], [["a"]], n_bootstrap=-5), "n_bootstrap"),
    (lambda: tarjama.Translator(device=5), "device"),
    (lambda: tarjama.Translator(num_beams="2"), "num_beams"),
    (lambda: tarjama.Translator(max_batch_size=0), "max_batch_size"),
    (lambda: tarjama.ModelSettings(None), "model"),
    (lambda: tarjama.GenerationOptions(max_new_tokens=0), "max_new_tokens"),
], ids=["evaluate-a-string", "n_bootstrap-negative", "device-5", "num_beams-str",
        "max_batch_size-0", "ModelSettings-None", "max_new_tokens-0"])
def test_the_issue_s_examples(call, argument):
    with pytest.raises((TypeError, InputError), match=argument):
        call()


@pytest.fixture(scope="module")
def translator(tiny_models):
    return tarjama.Translator(str(tiny_models.marian), compute_type="float32", guard="off")


@pytest.mark.parametrize("method", ["translate", "translate_documents", "translate_sentences"])
@pytest.mark.parametrize("value", WRONG, ids=lambda v: type(v).__name__)
def test_a_translator_s_methods_check_their_text(translator, method, value):
    bound = getattr(translator, method)
    first = next(iter(inspect.signature(bound).parameters))
    hint = argument_types(getattr(tarjama.Translator, method))[first]
    if fits(value, hint):
        return
    with pytest.raises(TypeError, match=first):
        bound(value)


def test_a_string_is_not_a_list_of_sentences(translator):
    with pytest.raises(TypeError, match="sentences must be a sequence of str, not str"):
        translator.translate_sentences("جملة واحدة")
