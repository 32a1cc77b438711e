"""The API's request and response bodies (pydantic), one module per resource, as the OpenAPI document shows them."""
