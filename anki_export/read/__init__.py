"""Read: guide text -> typed records (`Guide`). The only stage that uses mistune (in `items`).

`source` decodes the file, `scan` finds a chunk's headings, sections and items, `items` reads one
item's Markdown (with `highlight` for code and `media` for images), `parallel` reads many at once,
`guide` strings them together chunk by chunk with the memo, and `review` gives advice on notes.
"""
