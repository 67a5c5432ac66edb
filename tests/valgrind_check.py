"""Reads a valgrind memcheck log and fails on every error or definite leak
whose stack passes through hpyapi or the modules built from it.

Why a filter rather than a suppression file: CPython 3.11 itself reads an
uninitialised digit in int.from_bytes(b"") during start-up, and the taint
then spreads into unrelated Py_INCREFs all over the interpreter; no finite
suppression list covers that, while "does the stack touch our code?" does.

    python tests/valgrind_check.py build/valgrind.log
"""
import re
import sys

OURS = re.compile(r"_HPyAPI_|_hpyapi_|hpyapi/runtime/|/tests/c/|/examples/")
# Reports that pass through our code but belong to hpy 0.9.0, which never
# frees the PyMethodDef/PyGetSetDef arrays HPyType_FromSpec allocates for a
# type, nor the PyModuleDef it makes per module load (the test exporters
# create types and are imported more than once).
THEIRS = re.compile(r"ctx_Type_FromSpec|_HPyModuleDef_CreatePyModuleDef")


def blocks(lines):
    block = []
    for line in lines:
        m = re.match(r"==\d+== ?(.*)", line)
        if not m:
            continue
        text = m.group(1)
        if text == "":
            if block:
                yield block
            block = []
        else:
            block.append(text)
    if block:
        yield block


def main(path):
    with open(path, errors="replace") as f:
        lines = f.readlines()
    bad, seen, theirs = [], 0, 0
    for b in blocks(lines):
        head = b[0]
        is_error = not head.startswith(("Memcheck", "Copyright", "Using",
                                        "Command", "HEAP SUMMARY", "LEAK",
                                        "ERROR SUMMARY", "For lists",
                                        "Parent PID", "in use at exit",
                                        "total heap usage", "   "))
        if not is_error:
            continue
        if "lost in loss record" in head and "definitely" not in head:
            continue  # only definite leaks count
        seen += 1
        if any(THEIRS.search(line) for line in b):
            theirs += 1
        elif any(OURS.search(line) for line in b):
            bad.append("\n".join(b))
    for b in bad:
        print(b + "\n")
    print("valgrind: %d error/leak reports in the log; %d through hpyapi code; "
          "%d known hpy 0.9.0 leaks; the rest are CPython's"
          % (seen, len(bad), theirs))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
