"""The OpenAPI description of the API: the document, its schemas, each resource's paths."""
