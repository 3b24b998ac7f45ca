"""The OpenAPI 3.1 document of the HSDS API: exactly the endpoints and parameters that
``network/api_views.py`` answers. Derived from the HSDS 3.0 API specification's
``schema/openapi.json`` (Open Referral, CC BY-SA 4.0), trimmed to what is implemented, with
``/locations`` and the ``postcode`` filter on ``/services`` added."""

from django.conf import settings

from .hsds import HSDS_VERSION

SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _parameter(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


PARAMETERS = {
    "search": _parameter(
        "search", "Full text search (German stemming on PostgreSQL).", {"type": "string"}
    ),
    "page": _parameter(
        "page", "Page number of paginated result, from 1.", {"type": "integer", "minimum": 1}
    ),
    "per_page": _parameter(
        "per_page",
        "Number of results requested in a single page (at most 200, default 50).",
        {"type": "integer", "minimum": 1, "maximum": 200},
    ),
    "full": _parameter(
        "full",
        "true: return fully nested objects (languages, attributes, "
        "schedules, locations) in the list.",
        {"type": "boolean"},
    ),
    "modified_after": _parameter(
        "modified_after",
        "Return all results modified on or after this datetime (ISO 8601; without an offset "
        "it is read as Europe/Berlin time; a date means its midnight).",
        {"type": "string", "format": "date-time"},
    ),
    "taxonomy_id": _parameter(
        "taxonomy_id",
        "Only records with a term of this taxonomy.",
        {"type": "string", "format": "uuid"},
    ),
    "taxonomy_term_id": _parameter(
        "taxonomy_term_id",
        "Only records with this taxonomy term.",
        {"type": "string", "format": "uuid"},
    ),
    "organization_id": _parameter(
        "organization_id",
        "Only services of this organization.",
        {"type": "string", "format": "uuid"},
    ),
    "postcode": _parameter(
        "postcode",
        "Only records at a location with this German postcode (five digits).",
        {"type": "string", "pattern": "^[0-9]{5}$"},
    ),
}


def _refs(*names: str) -> list[dict]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def _page_of(items: dict, description: str) -> dict:
    return {
        "200": {
            "description": description,
            "content": {
                "application/json": {
                    "schema": {
                        "allOf": [{"$ref": "#/components/schemas/Page"}],
                        "properties": {"contents": {"type": "array", "items": items}},
                    }
                }
            },
        },
        "400": {"$ref": "#/components/responses/BadRequest"},
        "429": {"$ref": "#/components/responses/TooManyRequests"},
    }


def _get(operation_id: str, summary: str, parameters: list, responses: dict) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": parameters,
            "responses": responses,
        }
    }


LOCATION = {
    "allOf": [{"$ref": SCHEMA_BASE + "location.json"}],
    "properties": {
        "opening_hours": {
            "type": "string",
            "description": "Extension: the location's opening hours as an OpenStreetMap "
            "opening_hours value, e.g. 'Th 08:30-11:30; PH off' (PH: the public holidays of "
            "North Rhine-Westphalia). Empty when no hours are announced.",
        }
    },
}


def openapi_document(api_url: str) -> dict:
    """The document, with ``api_url`` (the absolute URL of ``/api/hsds``) as its server."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": f"{settings.LW_OPEN_DATA_PUBLISHER}: HSDS API",
            "version": "1.0.0",
            "summary": "The directory of the lokal willkommen network as Open Referral HSDS "
            f"{HSDS_VERSION}: read-only, published data only.",
            "description": "Organisations of the network, their offers (services), the "
            "drop-in offices (locations, with their drop-in hours as services of the city's "
            "organization) and the taxonomies of topics and target groups. Filters combine "
            "with AND. Texts are German. Times are local time in Europe/Berlin.",
            "contact": {"email": settings.LW_CONTACT_EMAIL},
            "license": {
                "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
                "url": "https://www.govdata.de/dl-de/by-2-0",
            },
        },
        "servers": [{"url": api_url}],
        "paths": {
            "/": _get(
                "getAPIMetaInformation",
                "Information about this API and its HSDS version.",
                [],
                {
                    "200": {
                        "description": "HSDS version, profile and this document's URL.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Meta"}}
                        },
                    }
                },
            ),
            "/services": _get(
                "getPaginatedListOfServices",
                "Paginated list of services.",
                _refs(
                    "search",
                    "page",
                    "per_page",
                    "full",
                    "taxonomy_id",
                    "taxonomy_term_id",
                    "organization_id",
                    "modified_after",
                    "postcode",
                ),
                _page_of(
                    {"$ref": SCHEMA_BASE + "compiled/service_list.json"},
                    "Services with their one-to-one fields (all fields with full=true).",
                ),
            ),
            "/services/{id}": {
                "parameters": [
                    {
                        "in": "path",
                        "name": "id",
                        "required": True,
                        "description": "The id of the service.",
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                **_get(
                    "getFullyNestedServiceById",
                    "A fully nested service.",
                    [],
                    {
                        "200": {
                            "description": "The service with all related data.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": SCHEMA_BASE + "compiled/service.json"}
                                }
                            },
                        },
                        "404": {"$ref": "#/components/responses/NotFound"},
                        "429": {"$ref": "#/components/responses/TooManyRequests"},
                    },
                ),
            },
            "/organizations": _get(
                "getPaginatedListOfOrganizations",
                "Paginated list of organizations.",
                _refs("search", "page", "per_page", "full", "modified_after"),
                _page_of(
                    {"$ref": SCHEMA_BASE + "compiled/organization_list.json"},
                    "Organizations with their one-to-one fields (phones with full=true).",
                ),
            ),
            "/locations": _get(
                "getPaginatedListOfLocations",
                "Paginated list of locations: the drop-in offices and the addresses of offers.",
                _refs("search", "page", "per_page", "postcode", "modified_after"),
                _page_of(LOCATION, "Locations with addresses, languages and schedules."),
            ),
            "/taxonomies": _get(
                "getPaginatedListOfTaxonomies",
                "Paginated list of taxonomies.",
                _refs("search", "page", "per_page"),
                _page_of({"$ref": SCHEMA_BASE + "taxonomy.json"}, "The taxonomies."),
            ),
            "/openapi.json": _get(
                "getOpenAPIDocument",
                "This document.",
                [],
                {
                    "200": {
                        "description": "OpenAPI 3.1 document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            ),
            "/dcat.jsonld": _get(
                "getDCATDescription",
                "DCAT-AP.de description of the dataset.",
                [],
                {
                    "200": {
                        "description": "JSON-LD (DCAT-AP.de).",
                        "content": {"application/ld+json": {"schema": {"type": "object"}}},
                    }
                },
            ),
        },
        "components": {
            "schemas": {
                "Meta": {
                    "type": "object",
                    "properties": {
                        "version": {"type": "string", "description": "HSDS version of this API."},
                        "profile": {"type": "string", "format": "uri"},
                        "openapi_url": {"type": "string", "format": "uri"},
                        "description": {"type": "string"},
                        "publisher": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "email": {"type": "string", "format": "email"},
                                "website": {"type": "string", "format": "uri"},
                            },
                        },
                    },
                },
                # From the HSDS 3.0 API specification.
                "Page": {
                    "type": "object",
                    "properties": {
                        "total_items": {
                            "type": "integer",
                            "description": "The total number "
                            "of entities (e.g. services, organizations) returned",
                        },
                        "total_pages": {"type": "integer", "description": "Count of total pages."},
                        "page_number": {
                            "type": "integer",
                            "description": "The number of the current page",
                        },
                        "size": {
                            "type": "integer",
                            "description": "The number of entities in the current page.",
                        },
                        "first_page": {
                            "type": "boolean",
                            "description": "A Boolean value indicating if this is the first page",
                        },
                        "last_page": {
                            "type": "boolean",
                            "description": "A Boolean value indicating if this is the last page",
                        },
                        "empty": {
                            "type": "boolean",
                            "description": "A Boolean value "
                            "indicating if there is an empty result set",
                        },
                    },
                    "required": [
                        "total_items",
                        "total_pages",
                        "page_number",
                        "size",
                        "first_page",
                        "last_page",
                        "empty",
                        "contents",
                    ],
                },
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                },
            },
            "parameters": PARAMETERS,
            "responses": {
                "BadRequest": {
                    "description": "A parameter could not be read.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "NotFound": {
                    "description": "No published record has this id.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "TooManyRequests": {
                    "description": "Too many requests from this address; try again after "
                    "Retry-After seconds.",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        },
    }
