"""Text tables for the analysis command lines (contracts, fees, channels): one way to print."""


def cell(value):
    """A float to 3 decimals; anything else as str()."""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def markdown_table(header, rows):
    """A GitHub markdown table; rows are sequences of cells in header order."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def delimited_table(header, rows, sep):
    """A header line and one line per row, cells joined by `sep` (tab, comma)."""
    return "\n".join([sep.join(header)] + [sep.join(cell(c) for c in row) for row in rows])


def print_records(columns, records, markdown, sep):
    """Prints dicts `records` by `columns`: markdown, or delimited by `sep`."""
    rows = [[r[c] for c in columns] for r in records]
    print(markdown_table(columns, rows) if markdown else delimited_table(columns, rows, sep))
