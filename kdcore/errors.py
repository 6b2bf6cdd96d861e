"""Errors a learner can cause, as data: a code and its parameters. kdcore writes the English message
(CLI, logs); kdapp translates the code for the interface (`kdapp/strings/errors.json`). Anything
that is not a KDLabError is a bug.

Add an error: a line in MESSAGES, its Chinese text in `kdapp/strings/errors.json` (a test checks
that every code has one, with the same placeholders), then `raise ConfigError("code", name=...)`.
"""

MESSAGES = {
    # settings
    "out_of_range": "{name} must be in {interval}, got {value}.",
    "not_a_choice": "Unknown {name} {value!r}; choose one of {choices}.",
    "unknown_hyper": "{method!r} has no hyper-parameter {key!r}; it has: {known}.",
    "no_seeds": "Give at least one seed.",
    "no_values": "A sweep needs at least one value and one seed.",
    "set_syntax": "--set expects METHOD.PARAMETER=NUMBER (e.g. at.beta=500), got {item!r}.",
    "needs_teacher": "{method} needs the teacher model (or its precomputed logits without augmentation).",
    "needs_spatial": "{method} compares spatial feature maps, which this student or teacher does not have; "
                     "compatible models: {families}.",
    "not_bound": "{method}: call method.bind(student, teacher, in_shape) before training.",
    # knowledge transfer
    "needs_labels": "This strategy learns from target labels: choose k ≥ 1 (k = 0 is for source-only and adversarial).",
    "needs_budget": "Target-only, feature and model transfer need a label budget k ≥ 1; add one (e.g. k = 5).",
    "bad_k": "k must be a whole number ≥ 0 of labelled examples per class, or 'all'; got {value!r}.",
    "k_too_large": "k = {k} labelled examples per class is more than the target has: class {scarce} has only {count} "
                   "training images. Choose k ≤ {count} or 'all'.",
    "unknown_domain": "Unknown domain {name!r}; choose one of {choices}, or a .npz file.",
    "same_domain": "Source and target are both {name!r}: transfer needs two different domains (try mnist5k → digits).",
    "label_sets": "The domains have different label sets ({source} vs {target} classes): a transferred classifier "
                  "needs the same classes on both sides.",
    "domain_offline": "{name} is not available offline (torchvision looked in {root}): connect to the internet and "
                      "retry, load it as an .npz domain file, or use the embedded pair mnist5k → digits.",
    "npz_not_found": "Domain file {path} not found. Check the path, or use a built-in domain such as 'digits'.",
    "npz_unreadable": "{file} is not a readable .npz file ({reason}).",
    "npz_missing": "{file} lacks {missing}; a domain file needs the arrays {keys}.",
    "npz_shape": "{file}: {what} must be N×H×W (grey) or N×H×W×C with C = 1 or 3, got shape {shape}.",
    "npz_dtype": "{file}: {what} must be numbers (uint8 0–255), got {dtype}.",
    "npz_small": "{file}: images must be at least 4×4 pixels, got {shape}.",
    "npz_label_count": "{file}: {what} must be one integer per image ({count}), got shape {shape}.",
    "npz_label_type": "{file}: {what} must be non-negative integers (0, 1, 2, …), got {dtype}.",
    "npz_too_few": "{file}: need at least 10 training and 1 test image, got {train} and {test}.",
    # character-level language models
    "context_too_long": "The corpus is too short for a context of {context} characters: its validation part has "
                        "{valid:,}. Use a longer text.",
    "text_too_short": "The text has {length:,} characters; at least {minimum:,} are needed so that training and "
                      "validation windows fit. Use a longer text.",
    "upload_empty": "The uploaded file is empty. Choose a .txt file with some text in it.",
    "upload_too_big": "The file has {size:,} bytes; the limit is {limit:,}. Upload a shorter excerpt.",
    "upload_binary": "The file looks binary (it contains NUL bytes). Upload plain UTF-8 text.",
    "upload_not_utf8": "The file is not valid UTF-8 (byte {byte}). Save it as UTF-8 text and retry.",
    "upload_missing": "Choose a .txt file to upload first.",
    "shakespeare_offline": "Tiny Shakespeare is not in {path} and downloads are off (KDLAB_OFFLINE=1). Copy input.txt "
                           "from karpathy/char-rnn there, or use the built-in corpus.",
    "shakespeare_download": "Could not download Tiny Shakespeare ({reason}). Check the network, copy the file to {path} "
                            "by hand, or use the built-in corpus.",
    "corpus_unreadable": "Cannot read {path} ({reason}); give builtin, shakespeare or the path of a UTF-8 .txt file.",
    "prompt_empty": "The prompt is empty: type a few characters for the models to continue.",
    "prompt_unseen": "The prompt contains characters the models never saw in this corpus: {chars}. Remove or replace them.",
    "prompt_length": "The prompt length must be between 1 and the context ({context}).",
}


class KDLabError(Exception):
    """Base class. `KDLabError(code, **params)`: the message is MESSAGES[code] filled with params.
    A plain sentence instead of a code is accepted (code "message") for errors not yet catalogued."""

    def __init__(self, code: str, **params):
        self.code, self.params = (code, params) if code in MESSAGES else ("message", {"text": code})
        super().__init__(MESSAGES[code].format(**params) if code in MESSAGES else code)


class ConfigError(KDLabError, ValueError):
    """A setting is out of range or unknown (bad slider value, bad CLI option, bad method name)."""


class DataUnavailable(KDLabError):
    """A dataset's files are missing or unreadable; the message names the files and where to put them."""
