"""What to copy with each public function of nn.py: the table in docs/guide.md, made from the code.

    python docs/copy_table.py            # print the table
    python docs/copy_table.py --write    # put it into docs/guide.md, between its two markers

For every public function it follows the names the function uses, and the names those use, down
to the bottom, among nn.py's own top-level definitions (functions, classes, tables). The imports
are listed apart: a copy needs the ones its pieces use. test_nn.py copies each public function with
exactly what this lists into an empty namespace and runs it, and checks that the guide's table is
this script's output, so the table cannot drift from the code.
"""

import ast
import functools
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NN = os.path.join(HERE, "..", "nn.py")
GUIDE = os.path.join(HERE, "guide.md")
BEGIN, END = "<!-- copy table: begin (made by docs/copy_table.py) -->", "<!-- copy table: end -->"


@functools.lru_cache(maxsize=2)  # test_nn.py asks it of the same source once per public function
def definitions(source):
    """{name: (first line, last line, names it uses)} for each top-level def, class and assignment,
    and {name: import line} for the imports. (Read them; do not change them: they are cached.)"""
    tree = ast.parse(source)
    pieces, imports = {}, {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                imports[(alias.asname or alias.name).split(".")[0]] = ast.get_source_segment(source, node)
            continue
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        else:
            continue
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        for name in names:
            pieces[name] = (first, node.end_lineno, used - {name})
    return pieces, imports


def needs(name, pieces):
    """The top-level definitions `name` needs, itself included, in the file's order."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in pieces:
            continue
        seen.add(current)
        todo += sorted(pieces[current][2])
    return sorted(seen, key=lambda n: pieces[n][0])


def public_functions(source):
    tree = ast.parse(source)
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]


def read(path):
    with open(path) as file:
        return file.read()


def copy_of(name, source=None):
    """The text to paste for `name`: its imports, then every definition it needs, in file order."""
    source = source if source is not None else read(NN)
    pieces, imports = definitions(source)
    lines = source.splitlines()
    chosen = needs(name, pieces)
    used = set().union(*(pieces[n][2] for n in chosen))
    head = sorted({imports[n] for n in used if n in imports})
    body = ["\n".join(lines[pieces[n][0] - 1:pieces[n][1]]) for n in chosen]
    return "\n".join(head) + "\n\n\n" + "\n\n\n".join(body) + "\n"


def table(source=None):
    source = source if source is not None else read(NN)
    pieces, imports = definitions(source)
    rows = ["| function | lines to copy | copy with it |", "| --- | --- | --- |"]
    for name in public_functions(source):
        chosen = needs(name, pieces)
        used = set().union(*(pieces[n][2] for n in chosen))
        size = sum(pieces[n][1] - pieces[n][0] + 1 for n in chosen)
        others = ", ".join(f"`{n}`" for n in chosen if n != name) or "nothing else"
        modules = ", ".join(sorted(n for n in used if n in imports))
        rows.append(f"| `{name}` | {size} | {others}; imports: {modules} |")
    return "\n".join(rows)


def main(argv):
    text = table()
    if "--write" in argv:
        guide = read(GUIDE)
        start, end = guide.index(BEGIN) + len(BEGIN), guide.index(END)
        with open(GUIDE, "w") as file:
            file.write(guide[:start] + "\n" + text + "\n" + guide[end:])
    else:
        print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
