"""render stage: the dossier as Markdown and as one self-contained HTML page,
and its JSON Schema (``accord.dossier/1``).

Every function here takes the dossier *dict* (the JSON contract), so a saved
dossier can be rendered again without running the pipeline.
"""

from accord.render.html import to_html
from accord.render.index import INDEX_SCHEMA, to_index_html
from accord.render.markdown import to_markdown
from accord.render.schema import DossierSchemaError, load_schema, validate
from accord.render.tables import frames, notebook_html, rows

__all__ = ["DossierSchemaError", "INDEX_SCHEMA", "frames", "load_schema", "notebook_html", "rows", "to_html",
           "to_index_html", "to_markdown", "validate"]
