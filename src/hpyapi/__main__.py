"""python -m hpyapi describe MODULE [API]: what MODULE exports."""
import sys

from hpyapi.introspect import describe, format_description


def main(argv):
    if len(argv) not in (2, 3) or argv[0] != "describe":
        sys.stderr.write("usage: python -m hpyapi describe MODULE [API]\n")
        return 2
    try:
        d = describe(argv[1], argv[2] if len(argv) == 3 else None)
    except (ImportError, LookupError) as e:
        sys.stderr.write("hpyapi: %s\n" % e)
        return 1
    print(format_description(d))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
