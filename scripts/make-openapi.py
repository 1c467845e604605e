#!/usr/bin/env python3
"""Writes Sources/WinnowServer/openapi.json, the OpenAPI 3.1 description of `winnow serve`.
The server ships this file and serves it at /openapi.json; ServerTests hold the server to it
(every route answers as described, every answer's status is listed).
  python3 scripts/make-openapi.py"""
import json, os

def problem_ref(*codes):
    return {str(c): {"$ref": "#/components/responses/Problem"} for c in codes}

auth = [{"bearer": []}]
asof = {"name": "asOf", "in": "query", "required": False, "description": "Evaluate as of this day (YYYY-MM-DD, not in the future); default today.",
        "schema": {"type": "string", "format": "date"}}
queue = {"name": "queue", "in": "query", "required": False, "description": "true: the request also goes into the desk's queue (/desk), for a reviewer to decide there.",
         "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}}
name = {"name": "name", "in": "query", "required": False, "description": "How the report names the request (a file name); default `request`.",
        "schema": {"type": "string", "maxLength": 1024}}
body = {"required": True, "description": "One request, XML or JSON (docs/request-format.md); at most 8 MiB.",
        "content": {"application/json": {"schema": {"type": "object"}}, "application/xml": {"schema": {"type": "string"}},
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
common = problem_ref(400, 401, 403, 408, 413, 422, 503)

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

def hoist(path, prefix):
    """A JSON Schema file as OpenAPI components: its $defs become `prefix + name`, refs rewritten."""
    schema = json.load(open(os.path.join(root, path), encoding="utf-8"))
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    def rewrite(node):
        if isinstance(node, dict):
            return {k: ("#/components/schemas/" + prefix + v[len("#/$defs/"):] if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/") else rewrite(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node
    out = {prefix.rstrip("_"): rewrite(schema)}
    for name, d in defs.items():
        out[prefix + name] = rewrite(d)
    return out

request_schemas = hoist("Sources/WinnowIntake/Schemas/request.schema.json", "Request_")
report_schemas = hoist("docs/report.schema.json", "Report_")
body["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Request"}

doc = {
  "openapi": "3.1.0",
  "info": {"title": "Winnow", "version": "1", "summary": "Screens requests for legal cooperation for signs of politically motivated abuse.",
           "description": "Every error is a problem document (RFC 9457). Every route but /health, /ready and /openapi.json needs a bearer token (`winnow serve token create`) with the route's scope; `admin` has every scope. A score supports a decision; it never makes one."},
  "servers": [{"url": "http://127.0.0.1:8080"}],
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API token (wnw_...). Scopes: screen, registry:read, registry:write, admin."}},
    "schemas": {
      "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["message"], "properties": {
          "file": {"type": "string"}, "line": {"type": "integer"}, "pointer": {"type": "string"}, "message": {"type": "string"}}}}}},
      **request_schemas,
      **report_schemas,
      "Rule": {"type": "object", "required": ["id", "version", "title", "pattern", "role", "points", "cite"], "properties": {
        "id": {"type": "string"}, "version": {"type": "integer"}, "title": {"type": "string"}, "pattern": {"type": "string"},
        "role": {"type": "string"}, "points": {"type": "integer"}, "floor": {"type": "string"}, "instruments": {"type": "array", "items": {"type": "string"}},
        "cite": {"type": "array", "items": {"type": "string"}}, "rationale": {"type": "string"}, "examples": {"type": "integer"},
        "file": {"type": "string"}, "line": {"type": "integer"}}},
      "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
    },
    "responses": {"Problem": {"description": "A problem document (RFC 9457).", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
  },
  "paths": {
    "/health": {"get": {"operationId": "health", "summary": "The process answers.", "security": [],
                        "responses": {"200": {"description": "Alive.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}}}},
    "/ready": {"get": {"operationId": "ready", "summary": "The pack is loaded and the registry answers.", "security": [],
                       "responses": {"200": {"description": "Ready.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}, **problem_ref(503)}}},
    "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.", "security": [],
                              "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/metrics": {"get": {"operationId": "metrics", "summary": "Requests, latency histogram, errors, screenings by band (Prometheus text format). Scope admin.", "security": auth,
                         "responses": {"200": {"description": "Prometheus text 0.0.4.", "content": {"text/plain": {"schema": {"type": "string"}}}}, **problem_ref(401, 403)}}},
    "/v1/screen": {"post": {"operationId": "screen", "summary": "Screen one request. Scope screen.", "security": auth,
      "parameters": [asof, name, queue, {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json", "html", "text", "sarif"], "default": "json"}}],
      "requestBody": body,
      "responses": {"200": {"description": "The report. The screening is an entry of the server's log (GET /v1/log/...).",
                            "headers": {"Winnow-Log-Entry": {"description": "The index of this screening's entry in the log.", "schema": {"type": "integer", "minimum": 0}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
                                                                       "text/html": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}},
                                                                       "application/sarif+json": {"schema": {"type": "object"}}}}, **common}}},
    "/v1/validate": {"post": {"operationId": "validate", "summary": "Check one request without screening it. Scope screen.", "security": auth,
      "parameters": [asof, name], "requestBody": body,
      "responses": {"200": {"description": "The request checks.", "content": {"application/json": {"schema": {"type": "object", "required": ["valid", "id", "instrument"],
          "properties": {"valid": {"type": "boolean"}, "name": {"type": "string"}, "id": {"type": "string"}, "formatVersion": {"type": "string"}, "instrument": {"type": "string"},
                         "requestingState": {"type": "string"}, "requestedState": {"type": "string"}, "receivedDate": {"type": "string"}}}}}}, **common}}},
    "/v1/batch": {"post": {"operationId": "batch", "summary": "Screen several requests; the answers in the same order, a bad one never fails the rest. Scope screen.", "security": auth,
      "parameters": [asof, queue],
      "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["requests"], "properties": {
          "requests": {"type": "array", "maxItems": 100, "items": {"type": "object", "required": ["name", "content"], "properties": {
              "name": {"type": "string"}, "content": {"type": "string", "description": "The request's text, XML or JSON."}}}}}}}}},
      "responses": {"200": {"description": "One answer per request.", "content": {"application/json": {"schema": {"type": "object", "required": ["results"], "properties": {
          "results": {"type": "array", "items": {"type": "object", "required": ["name", "status"], "properties": {
              "name": {"type": "string"}, "status": {"type": "string", "enum": ["screened", "invalid"]},
              "logEntry": {"type": "integer", "minimum": 0, "description": "The screening's entry in the log."},
              "report": {"$ref": "#/components/schemas/Report"}, "problem": {"$ref": "#/components/schemas/Problem"}}}}}}}}}, **common}}},
    "/v1/rules": {"get": {"operationId": "rules", "summary": "The rules of the loaded pack. Any token.", "security": auth,
      "responses": {"200": {"description": "Rules.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Rule"}}}}}, **problem_ref(401)}}},
    "/v1/rules/{id}": {"get": {"operationId": "rule", "summary": "One rule. Any token.", "security": auth,
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "The rule.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Rule"}}}}, **problem_ref(401, 404)}}},
    "/v1/profiles/{state}": {"get": {"operationId": "profile", "summary": "A requesting state's profile as of a day, with sources. Any token.", "security": auth,
      "parameters": [{"name": "state", "in": "path", "required": True, "schema": {"type": "string"}}, asof],
      "responses": {"200": {"description": "The profile.", "content": {"application/json": {"schema": {"type": "object", "required": ["state", "name", "asOf", "figures"]}}}}, **problem_ref(400, 401, 404)}}},
    "/v1/registry/search": {"get": {"operationId": "registrySearch", "summary": "Persons by name across scripts. Scope registry:read; every search is logged.", "security": auth,
      "parameters": [{"name": "name", "in": "query", "required": True, "schema": {"type": "string", "minLength": 1}},
                     {"name": "birthDate", "in": "query", "required": False, "schema": {"type": "string", "format": "date"}},
                     {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}],
      "responses": {"200": {"description": "Matches, best first.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}, **problem_ref(400, 401, 403)}}},
    "/v1/registry/persons/{id}": {"get": {"operationId": "registryPerson", "summary": "One person's records. Scope registry:read; every read is logged.", "security": auth,
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "The records, by table.", "content": {"application/json": {"schema": {"type": "object"}}}}, **problem_ref(401, 403, 404)}}},
    "/v1/registry/import": {"post": {"operationId": "registryImport", "summary": "Import records, all or nothing, as `winnow registry import`. Scope registry:write.", "security": auth,
      "parameters": [{"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json", "csv", "jsonl"], "default": "json"}}],
      "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}},
                                                    "application/x-ndjson": {"schema": {"type": "string"}}}},
      "responses": {"200": {"description": "What was imported.", "content": {"application/json": {"schema": {"type": "object", "required": ["imported"]}}}}, **problem_ref(400, 401, 403, 408, 413, 422)}}},
    "/v1/decisions": {"post": {"operationId": "decide", "summary": "Record a decision on a screening the log holds, as a new log entry; the reviewer is the token's holder. A recorded decision is final: a second decision on the same request is refused (409) unless it corrects the standing one, naming it. A rationale is required for a correction and for a decision against the band (executing a request screened high or critical, refusing one screened low). Scope decide.", "security": auth,
      "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["screening", "decision"], "properties": {
          "screening": {"type": "integer", "minimum": 0, "description": "The screening's entry in the log (the Winnow-Log-Entry header of POST /v1/screen)."},
          "decision": {"type": "string", "enum": ["execute", "execute_with_conditions", "refuse", "ask_for_information"]},
          "grounds": {"type": "array", "items": {"type": "string"}, "description": "Source ids from the report."},
          "rationale": {"type": "string"}, "corrects": {"type": "integer", "minimum": 0}}}}}},
      "responses": {"201": {"description": "The decision as logged.", "headers": {"Winnow-Log-Entry": {"description": "The decision's entry.", "schema": {"type": "integer", "minimum": 0}}},
                            "content": {"application/json": {"schema": {"type": "object", "required": ["index", "kind", "decision", "reviewer", "requestSha256"]}}}},
                    **problem_ref(400, 401, 403, 404, 408, 409, 413, 422)}}},
    "/v1/log/receipts/{index}": {"get": {"operationId": "logReceipt", "summary": "A report's receipt: its screening entry as stored, the entry's inclusion proof and the latest signed checkpoint (signed now if entries were added since). `winnow report verify REPORT --receipt FILE --key log.pub` checks it offline with the public key alone. Any token.", "security": auth,
      "parameters": [{"name": "index", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}],
      "responses": {"200": {"description": "The receipt.", "content": {"application/json": {"schema": {"type": "object",
          "required": ["index", "entry", "proof", "checkpoint"], "properties": {"index": {"type": "integer"}, "entry": {"type": "string"},
          "proof": {"type": "array", "items": {"type": "string"}}, "checkpoint": {"type": "object", "required": ["treeSize", "rootHash", "time", "keyId", "signature"]}}}}}},
          **problem_ref(400, 401, 404)}}},
    "/v1/log/key": {"get": {"operationId": "logKey", "summary": "The log's Ed25519 public key (base64 of its 32 bytes), as DATA/log/log.pub holds it. Open. A verifier should trust a copy the ministry publishes elsewhere.", "security": [],
      "responses": {"200": {"description": "The key.", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/v1/log/entries": {"get": {"operationId": "logEntries", "summary": "Entries exactly as stored, one per line, from `from`, at most `count`: what `winnow log verify URL` copies. Any token.", "security": auth,
      "parameters": [{"name": "from", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}},
                     {"name": "count", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 10000}}],
      "responses": {"200": {"description": "JSON lines, possibly none.", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}, **problem_ref(400, 401)}}},
    "/v1/log/checkpoint": {"get": {"operationId": "logCheckpoint", "summary": "The log's latest signed checkpoint (RFC 9162 tree size and root, Ed25519), signed anew when entries were added since. Any token.", "security": auth,
      "responses": {"200": {"description": "The checkpoint, as `winnow log verify --checkpoint` reads it.", "content": {"application/json": {"schema": {"type": "object",
          "required": ["treeSize", "rootHash", "time", "keyId", "signature"], "properties": {"treeSize": {"type": "integer", "minimum": 0}, "rootHash": {"type": "string"},
          "time": {"type": "string"}, "keyId": {"type": "string"}, "signature": {"type": "string"}}}}}}, **problem_ref(401)}}},
    "/v1/log/entries/{index}": {"get": {"operationId": "logEntry", "summary": "One entry of the log with its inclusion proof in the tree of `size` entries. Any token.", "security": auth,
      "parameters": [{"name": "index", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
                     {"name": "size", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}],
      "responses": {"200": {"description": "The entry as stored and its audit path.", "content": {"application/json": {"schema": {"type": "object",
          "required": ["index", "treeSize", "entry", "rootHash", "proof"], "properties": {"index": {"type": "integer"}, "treeSize": {"type": "integer"},
          "entry": {"type": "string"}, "rootHash": {"type": "string"}, "proof": {"type": "array", "items": {"type": "string"}}}}}}}, **problem_ref(400, 401, 404)}}},
    "/v1/log/consistency": {"get": {"operationId": "logConsistency", "summary": "The proof that the tree of `from` entries is a prefix of the tree of `size`. Any token.", "security": auth,
      "parameters": [{"name": "from", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
                     {"name": "size", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}}],
      "responses": {"200": {"description": "The consistency proof.", "content": {"application/json": {"schema": {"type": "object",
          "required": ["oldSize", "newSize", "proof"], "properties": {"oldSize": {"type": "integer"}, "newSize": {"type": "integer"},
          "proof": {"type": "array", "items": {"type": "string"}}}}}}}, **problem_ref(400, 401, 404)}}},
  },
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "WinnowServer", "openapi.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2, sort_keys=True)
    f.write("\n")
print("wrote", os.path.normpath(out))
