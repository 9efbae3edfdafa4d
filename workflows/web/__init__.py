"""Web pages that change cases or tasks. Thin: they fetch through the selectors and call the
same services as the API, and map domain errors the same way (``casework.web.errors``)."""
