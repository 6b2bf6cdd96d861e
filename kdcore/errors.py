"""Errors a learner can cause, as data: a code and its parameters. kdcore writes the English message
(CLI, logs); kdapp translates the code for the interface (`kdapp/strings/errors.json`). Anything
that is not a KDLabError is a bug.

Add an error: a line in MESSAGES, its Chinese text in `kdapp/strings/errors.json` (a test checks
that every code has one, with the same placeholders), then `raise ConfigError("code", name=...)`.
"""

MESSAGES = {
    # settings
    "out_of_range": "{name} must be in {interval}, got {value}.",
    "out_of_range_int": "{name} must be a whole number in {interval}, got {value}.",
    "not_a_choice": "Unknown {name} {value!r}; choose one of {choices}.",
    "unknown_hyper": "{method!r} has no hyper-parameter {key!r}; it has: {known}.",
    "no_seeds": "Give at least one seed.",
    "too_many_seeds": "At most {limit} seeds per run (got {count}): a run is one request to a shared machine.",
    "too_many_values": "At most {limit} values per sweep (got {count}): a run is one request to a shared machine.",
    "no_values": "A sweep needs at least one value and one seed.",
    "set_syntax": "--set expects METHOD.PARAMETER=NUMBER (e.g. at.beta=500), got {item!r}.",
    "needs_teacher": "{method} needs the teacher model (or its precomputed logits without augmentation).",
    "needs_spatial": "{method} compares spatial feature maps, which this student or teacher does not have; "
                     "compatible models: {families}.",
    "not_bound": "{method}: call method.bind(student, teacher, in_shape) before training.",
    "test_idx_mnist5k_only": "--test-idx (the official MNIST test set) only applies to the mnist5k dataset.",
    "images_too_small": "Images must be at least 4×4 pixels, got {shape}.",
    "no_cuda": "Device 'cuda' was requested but no CUDA GPU is available; use 'auto' or 'cpu'.",
    # data files
    "unreadable_file": "Cannot read {what} file {path}: {reason}.",
    "idx_missing": "{stem}(.gz) not found in {directory}. Put the official MNIST test files "
                   "(t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) there.",
    "idx_mismatch": "MNIST test files in {directory} disagree: {images} images, {labels} labels.",
    "torchvision_offline": "{dataset} is not available offline: put {files} in {folder} (or connect to the "
                           "internet and retry), or use the embedded dataset 'mnist5k'.",
    "cifar_offline": "CIFAR-10 is not available offline: {files} missing in {folder}. Extract "
                     "cifar-10-python.tar.gz there (or connect to the internet and retry), or use the embedded "
                     "dataset 'mnist5k'.",
    # drills: question bank and coding exercises (authoring mistakes name the file and question)
    "bank_empty": "No question files found in {directory}; the bank ships with the app in questions/.",
    "bank_unreadable": "{where}: not readable JSON ({reason})",
    "bank_not_list": "{where}: the file must hold a JSON list of questions",
    "bank_not_object": "{where}: each question must be a JSON object",
    "bank_missing": "{where}: missing '{field}'",
    "bank_one_of": "{where}: '{field}' must be one of {choices}",
    "bank_demo": "{where}: 'demo' must start with one of {choices}",
    "bank_too_few": "{where}: '{field}' must be a list of at least {count} non-empty texts",
    "bank_repeats": "{where}: '{field}' repeats an option",
    "bank_differ": "{where}: en and zh '{field}' differ in number",
    "bank_not_index": "{where}: 'choice.answer' is not an option index",
    "bank_original": "{where}: source questions (and only they) keep the 'original' answer",
    "bank_duplicate": "{where}: duplicate id {id!r}",
    "exercise_incomplete": "Coding exercise {name} is incomplete: {reason}",
    "empty_solution": "The editor is empty: write your solution (or start from the starter code) before submitting.",
    "solution_too_long": "The solution is {length:,} characters; the limit is {limit:,}.",
    "mock_empty": "A mock interview needs at least one question and a positive time per question.",
    "mock_too_few": "Only {available} questions match your filters; choose at most that many or widen the filters.",
    # drills: progress file
    "progress_locked": "The progress file {path} is locked by another program (another KD Lab window or a sync "
                       "tool). Close it and try again; nothing was changed.",
    "import_not_json": "The file is not valid JSON ({reason}). Your progress was not changed.",
    "import_not_export": "This is not a KD Lab progress export (expected \"format\": \"{format}\"). "
                         "Your progress was not changed.",
    "import_version": "Unsupported export version {version!r} (this KD Lab reads version {supported}). "
                      "Your progress was not changed.",
    "import_malformed": "The file has a malformed entry ({reason}). Your progress was not changed.",
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
    # drills: question bank (v2)
    "bank_duplicate_question": "{where}: the {lang} question repeats {other}: {text!r}",
    # drills: fitting FSRS to the learner's reviews
    "fsrs_too_few": "FSRS can be fitted to your reviews once {need} of them come a day or more after the card's "
                    "previous review; you have {have}. Until then the default parameters are used.",
    "fsrs_optimizer_missing": "Fitting FSRS needs its optimizer (pip install \"fsrs[optimizer]\"): {reason}",
    # image-folder datasets (kdcore/imagefolder.py)
    "imagefolder_missing": "{path} is neither a folder nor a .zip file: give an image folder (train/<class>/…) or a zip of one.",
    "imagefolder_unsafe": "{file}: refused ({rule}).",
    "imagefolder_too_big": "{file} has {size:,} bytes; the limit is {limit:,}.",
    "imagefolder_too_many": "{file} holds {count:,} files; the limit is {limit:,}.",
    "imagefolder_bomb": "{file} unpacks from {packed:,} to {unpacked:,} bytes (over {ratio}× its packed size): refused as a zip bomb.",
    "imagefolder_bad_zip": "{file} is not a readable zip archive ({reason}).",
    "imagefolder_no_classes": "{file} has no class folders: put the images in train/<class>/ (and optionally test/<class>/), one folder per class.",
    "imagefolder_one_class": "{file} has only one class folder ({name}): a classifier needs at least two.",
    "imagefolder_empty_class": "The class folder {file} holds no images.",
    "imagefolder_test_classes": "{file}: test/ has classes that train/ lacks: {names}.",
    "imagefolder_not_image": "{file} is not an image file (expected {suffixes}).",
    "imagefolder_corrupt": "{file} cannot be decoded as an image ({reason}).",
    "imagefolder_mode": "{file} is a {mode} image; only 8-bit grey, palette and RGB(A) images are read: save it as an 8-bit PNG or an RGB JPEG.",
    "imagefolder_pixels": "{file} is {size} pixels; the limit is {limit:,} pixels per image.",
    # course (kdcore.course)
    "course_invalid": "The course file {where} is malformed: check its {field}.",
    # knowledge transfer: the real MNIST-M and domain files (kdcore.transfer.domains)
    "mnist_m_missing": "The real MNIST-M is not on this computer. Put an .npz file with the arrays {keys} "
                       "(uint8 images N×32×32×3, labels 0–9) at {where}, or give its path as the target domain; "
                       "meanwhile 'mnist-m-like' (built from two sample photos) works offline.",
    "npz_nan": "{file}: {what} contains NaN or infinite pixels.",
    "npz_range": "{file}: {what} must hold pixels in [0, 1] or [0, 255], got values from {low:g} to {high:g}.",
    "npz_label_range": "{file}: {what} must be digits 0–9, got a label {high}.",
    "npz_one_class": "{file}: train_labels hold a single class; a domain needs at least two.",
    "npz_too_big": "{file} is {size:.1f} GiB; domain files are limited to {limit:.0f} GiB.",
    "mnist_m_listing": "{file}, line {line}: expected an image file name and a digit, such as '00000000.png 5'.",
    "mnist_m_sizes": "{file}: the listed images have different sizes; MNIST-M images are all 32×32 (or 28×28).",
    # saved views (kdcore.saved)
    "saved_corrupt": "A saved result ({name}) could not be read back and was skipped: {reason}",
    "saved_unwritable": "This result is shown but could not be saved for a reload ({reason}).",
    # classroom accounts and safety limits (kdcore/drills/classroom.py, uploads, caches, CLI)
    "roster_size": "A roster needs between 1 and {limit:,} learners, one per line (username,name[,role[,email]]); "
                   "got {count:,}.",
    "roster_row": "Roster line {line} ({row!r}) is not username,name[,role[,email]]: a user name is 1–32 lower-case "
                  "letters, digits, '.', '_' or '-', the role is {roles}, and an email is name@domain.",
    "password_length": "Choose a password of {low} to {high} characters.",
    "sign_in_refused": "That user name, password or join code is not right (a join code works only once).",
    # the live class quiz (kdcore/drills/quiz.py)
    "quiz_not_choice": "Question {id} has no multiple-choice block; a class quiz needs one.",
    "quiz_closed": "Answers to this question are closed (the answer was revealed, or the quiz was closed or "
                   "replaced); your answer was not counted.",
    "quiz_bad_choice": "There is no option {choice!r} in this question; pick one of the {options} options.",
    "quiz_answered": "You have already answered this question; your first answer is the one that counts.",
    "file_too_big": "{file} is larger than the limit of {limit:,} bytes; it was not read further.",
    "npz_arrays_too_big": "{file}: its arrays would take {size:,} bytes once loaded; the limit is {limit:,}. Use fewer or smaller images.",
    "cache_too_large": "A cached result ({key}) is larger than {limit:,} bytes; it was moved to {moved} and is "
                       "computed again.",
    "cache_signature": "A cached result ({key}) was changed after it was written (its signature does not match); "
                       "it was moved to {moved} and is computed again.",
    "cache_unreadable": "A cached result ({key}) could not be read; it was moved to {moved} and is computed again.",
    "npz_pixels": "{file}: {what} are {shape} pixels; the limit is {limit:,} pixels per image.",
}


class KDLabError(Exception):
    """Base class. `KDLabError(code, **params)`: the message is MESSAGES[code] filled with params, and
    kdapp shows the same code's text in the learner's language. An unknown code is a bug (KeyError)."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(MESSAGES[code].format(**params))


class ConfigError(KDLabError, ValueError):
    """A setting is out of range or unknown (bad slider value, bad CLI option, bad method name)."""


class DataUnavailable(KDLabError):
    """A dataset's files are missing or unreadable; the message names the files and where to put them."""
