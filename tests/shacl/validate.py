"""Validates a JSON-LD document against SHACL shapes with pyshacl.

Usage: validate.py SHAPES.ttl DATA.jsonld. Prints the report; exits 0 when the data conforms,
1 when it does not, 2 on a file that does not parse.
"""

import sys

from pyshacl import validate
from rdflib import Graph


def main() -> int:
    shapes_path, data_path = sys.argv[1], sys.argv[2]
    try:
        data = Graph().parse(data_path, format="json-ld")
        shapes = Graph().parse(shapes_path, format="turtle")
    except Exception as e:  # noqa: BLE001 - any parse failure is the answer
        print(f"unparseable: {e}")
        return 2
    if len(data) == 0:
        print("the document holds no triples")
        return 2
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    print(text)
    return 0 if conforms else 1


if __name__ == "__main__":
    sys.exit(main())
