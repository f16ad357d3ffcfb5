#!/usr/bin/env python3
"""Derive hcskit's facts-only schema description from Microsoft's OpenAPI files.

Usage: schema/extract.py [SCHEMA_DIR] [--doc-tables HCS_API_MD] [-o OUT]

SCHEMA_DIR holds openapi-{1809,1903,2004,2104,21H2}.json (default
../shared/reference/hcs-schema relative to the repository). OUT defaults to
schema/hcs-schema.json. schema/hcsshim-additions.json is merged in, its
entries marked "source": "hcsshim".

The files carry no per-field schema version ("info.version" is 2.4 in all of
them), so a field's version is the newest schema version of the first SDK
whose file has it; a description saying "introduced in version X.Y" wins.
Every type and field of every file is kept; one that a later file dropped
records the last SDK that had it.

Microsoft's SchemaReference tables state the version that introduced each
field and enum value; hcs-api.md Appendix A lists them. When that file is
given (default ../shared/reference/hcs-api.md, skipped if absent), a table
version that differs from `since` is recorded as `doc_since`.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# SDK file -> (Windows build, newest schema version it supports). 2.0/2.1
# shipped together in 1809 and 2.4/2.5 together in Windows Server 2022, so no
# host supports one without the other.
SDKS = [
    ("1809", "10.0.17763", "2.1"),
    ("1903", "10.0.18362", "2.2"),
    ("2004", "10.0.19041", "2.3"),
    ("2104", "10.0.20348", "2.5"),
    ("21H2", "10.0.22000", "2.6"),
]

INT_FORMATS = {"int32", "int64", "uint8", "uint16", "uint32", "uint64"}
C_SCALAR = {
    "bool": "bool", "string": "const char *", "any": "const char *", "enum": "hcs_enum",
    "int32": "int32_t", "int64": "int64_t", "uint8": "uint8_t", "uint16": "uint16_t",
    "uint32": "uint32_t", "uint64": "uint64_t",
}
GUID_PATTERN = "^[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$"
INTRODUCED = re.compile(r"introduced in version (\d+\.\d+)")


def ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def element(prop, defs):
    """Kind, ref and format of a scalar-shaped property (no array/map)."""
    if "$ref" in prop:
        name = ref_name(prop["$ref"])
        kind = "enum" if "enum" in defs.get(name, {}) else "object"
        return {"kind": kind, "ref": name}
    t = prop.get("type")
    if t == "boolean":
        return {"kind": "bool"}
    if t == "integer":
        fmt = prop.get("format")
        if fmt not in INT_FORMATS:
            raise ValueError("integer without a known format: %r" % prop)
        return {"kind": fmt}
    if t == "string":
        out = {"kind": "string"}
        if prop.get("pattern") == GUID_PATTERN:
            out["format"] = "guid"
        elif prop.get("format"):
            out["format"] = prop["format"]
        return out
    if t == "object":
        return {"kind": "any"}
    raise ValueError("unsupported property: %r" % prop)


def field_type(prop, defs):
    t = prop.get("type", "")
    if t == "array":
        return dict(shape="array", **element(prop["items"], defs))
    if t == "object" and isinstance(prop.get("additionalProperties"), dict):
        return dict(shape="map", **element(prop["additionalProperties"], defs))
    m = re.match(r"CaseInsensitiveStringMap<(.+)>$", t)
    if m:
        # A .NET type name leaked into the file; the value is the named schema type.
        name = m.group(1).rsplit(".", 1)[-1]
        kind = "enum" if "enum" in defs.get(name, {}) else "object"
        return {"shape": "map", "kind": kind, "ref": name}
    return dict(shape="one", **element(prop, defs))


def c_type(ft):
    base = "hcs_" + ft["ref"] if ft["kind"] == "object" else C_SCALAR[ft["kind"]]
    if ft["shape"] == "array":
        return base + (" *" if not base.endswith("*") else "*")
    if ft["shape"] == "map":
        entry = "hcs_%s_entry" % ft["ref"] if ft["kind"] == "object" else "hcs_map_" + ft["kind"]
        return entry + " *"
    return base + " *" if ft["kind"] == "object" else base


def version_of(sdk, description):
    m = INTRODUCED.search(description or "")
    if m:
        return m.group(1), "description"
    return dict((s, v) for s, _, v in SDKS)[sdk], "sdk"


def load(schema_dir):
    files = {}
    for sdk, _, _ in SDKS:
        path = os.path.join(schema_dir, "openapi-%s.json" % sdk)
        with open(path, encoding="utf-8") as f:
            files[sdk] = json.load(f)["definitions"]
    return files


def merge(files):
    """Union of all files: newest definition wins, first appearance dates it."""
    types = {}
    renames = []  # (old type, new type): a field kept its JSON name but changed its type's name
    for sdk, _, _ in SDKS:
        defs = files[sdk]
        for name, d in defs.items():
            t = types.get(name)
            if t is None:
                since, basis = version_of(sdk, d.get("description"))
                t = types[name] = {"name": name, "sdk": sdk, "since": since, "since_basis": basis,
                                   "fields": {}, "values": {}, "order": []}
            t["last_sdk"] = sdk
            t["kind"] = "enum" if "enum" in d else "object"
            for value in d.get("enum", []):
                if value not in t["values"]:
                    t["values"][value] = {"name": value, "sdk": sdk, "since": version_of(sdk, None)[0]}
                t["values"][value]["last_sdk"] = sdk
            order = []
            for fname, prop in d.get("properties", {}).items():
                f = t["fields"].get(fname)
                if f is None:
                    since, basis = version_of(sdk, prop.get("description"))
                    f = t["fields"][fname] = {"name": fname, "sdk": sdk, "since": since, "since_basis": basis}
                ft = field_type(prop, defs)
                old = f.get("type", {}).get("ref")
                if old and ft.get("ref") and old != ft["ref"] and (old, ft["ref"]) not in renames:
                    renames.append((old, ft["ref"]))
                f["type"] = ft
                f["last_sdk"] = sdk
                order.append(fname)
            # Field order: the newest file's, then fields it dropped.
            t["order"] = order + [n for n in t["order"] if n not in order]
    inherit_renamed(types, renames)
    return types


def inherit_renamed(types, renames):
    """A renamed type (e.g. Memory_2 -> VirtualMachine_Memory) carries the same
    JSON document, so its fields and values are as old as the old type's."""
    sdk_rank = {s: i for i, (s, _, _) in enumerate(SDKS)}
    for old, new in renames:
        a, b = types[old], types[new]
        pairs = [(a, b)] + [(a["fields"][n], b["fields"][n]) for n in b["fields"] if n in a["fields"]]
        pairs += [(a["values"][n], b["values"][n]) for n in b["values"] if n in a["values"]]
        for x, y in pairs:
            if sdk_rank[x["sdk"]] < sdk_rank[y["sdk"]]:
                y["sdk"], y["since"] = x["sdk"], x["since"]
                y["since_basis"] = "renamed from " + old


def hcsshim_field(f, since):
    out = {"name": f["name"], "type": dict(shape="one", **f["type"]), "since": f.get("since", since),
           "since_basis": "hcsshim", "source": "hcsshim"}
    if f.get("note"):
        out["note"] = f["note"]
    return out


def add_hcsshim(types, extra):
    for name, d in extra["types"].items():
        types[name] = {"name": name, "kind": d["kind"], "sdk": None, "since": d["since"], "since_basis": "hcsshim",
                       "source": "hcsshim", "fields": {}, "order": [],
                       "values": {v: {"name": v, "since": d["since"], "source": "hcsshim"} for v in d.get("values", [])}}
        for f in d.get("fields", []):
            types[name]["fields"][f["name"]] = hcsshim_field(f, d["since"])
            types[name]["order"].append(f["name"])
    for tname, fields in extra["fields"].items():
        t = types[tname]
        for f in fields:
            t["fields"][f["name"]] = hcsshim_field(f, f["since"])
            t["order"].append(f["name"])
    for tname, values in extra["enum_values"].items():
        for v in values:
            types[tname]["values"][v["name"]] = {"name": v["name"], "since": v["since"], "source": "hcsshim",
                                                 "note": v["note"]}


def finish(t, newest_sdk):
    out = {"name": t["name"], "kind": t["kind"], "since": t["since"], "since_basis": t["since_basis"]}
    if t.get("sdk"):
        out["sdk"] = t["sdk"]
    if t.get("source"):
        out["source"] = t["source"]
    if t.get("last_sdk") and t["last_sdk"] != newest_sdk:
        out["last_sdk"] = t["last_sdk"]
    if t["kind"] == "enum":
        out["values"] = [clean(v, newest_sdk) for v in t["values"].values()]
        return out
    fields = []
    for fname in t["order"]:
        f = t["fields"][fname]
        g = {"name": fname}
        g.update(f["type"])
        g["c"] = c_type(f["type"])
        g.update((k, v) for k, v in clean(f, newest_sdk).items() if k not in ("name", "type"))
        fields.append(g)
    out["fields"] = fields
    return out


def clean(entry, newest_sdk):
    out = {k: v for k, v in entry.items() if v is not None and k != "last_sdk"}
    if entry.get("last_sdk") and entry["last_sdk"] != newest_sdk:
        out["last_sdk"] = entry["last_sdk"]
    return out


APPENDIX_TYPE = re.compile(r"^- `(\w+)` (?:\(enum\) )?— (.*)$")
FIELD_VERSION = re.compile(r"(\w+): [^,]*?\((\d+\.\d+)\)")
ENUM_GROUP = re.compile(r"(\d+\.\d+): ((?:\"[^\"]*\"(?:, )?)+)")


def doc_tables(path):
    """{type: {field or enum value: version}} from hcs-api.md Appendix A."""
    out = {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    appendix = text.split("## Appendix A", 1)[-1]
    for line in appendix.splitlines():
        m = APPENDIX_TYPE.match(line)
        if not m:
            continue
        versions = out.setdefault(m.group(1), {})
        if "(enum)" in line:
            for g in ENUM_GROUP.finditer(m.group(2)):
                for value in re.findall(r'"([^"]*)"', g.group(2)):
                    versions[value] = g.group(1)
        else:
            for g in FIELD_VERSION.finditer(m.group(2)):
                versions[g.group(1)] = g.group(2)
    return out


def add_doc_versions(types, tables):
    for name, versions in tables.items():
        t = types.get(name)
        if not t:
            continue
        members = t["values"] if t["kind"] == "enum" else t["fields"]
        for key, version in versions.items():
            m = members.get(key)
            if m and m.get("source") != "hcsshim" and version != m["since"]:
                m["doc_since"] = version


def dump(doc):
    """JSON with one line per type member, so that diffs stay readable."""
    one = lambda v: json.dumps(v, ensure_ascii=False)
    lines = ["{", '"comment": %s,' % one(doc["comment"]), '"sdks": %s,' % one(doc["sdks"]), '"types": [']
    for i, t in enumerate(doc["types"]):
        members = t.get("fields", t.get("values", []))
        head = {k: v for k, v in t.items() if k not in ("fields", "values")}
        key = "fields" if "fields" in t else "values"
        lines.append(" " + one(head)[:-1] + ', "%s": [' % key)
        lines += ["  " + one(m) + ("," if j + 1 < len(members) else "") for j, m in enumerate(members)]
        lines.append(" ]}" + ("," if i + 1 < len(doc["types"]) else ""))
    lines += ["]", "}"]
    return "\n".join(lines) + "\n"


def main():
    repo = os.path.dirname(HERE)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("schema_dir", nargs="?", default=os.path.join(repo, "..", "shared", "reference", "hcs-schema"))
    ap.add_argument("--doc-tables", default=os.path.join(repo, "..", "shared", "reference", "hcs-api.md"))
    ap.add_argument("-o", "--output", default=os.path.join(HERE, "hcs-schema.json"))
    args = ap.parse_args()

    types = merge(load(args.schema_dir))
    with open(os.path.join(HERE, "hcsshim-additions.json"), encoding="utf-8") as f:
        add_hcsshim(types, json.load(f))
    if os.path.exists(args.doc_tables):
        add_doc_versions(types, doc_tables(args.doc_tables))
    newest = SDKS[-1][0]
    doc = {
        "comment": "Facts about the HCS JSON schema, derived by schema/extract.py from Microsoft's OpenAPI files "
                   "and schema/hcsshim-additions.json. Regenerate instead of editing.",
        "sdks": [{"sdk": s, "build": b, "schema": v} for s, b, v in SDKS],
        "types": [finish(types[n], newest) for n in sorted(types)],
    }
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(dump(doc))
    print("wrote %s: %d types" % (os.path.relpath(args.output), len(doc["types"])), file=sys.stderr)


if __name__ == "__main__":
    main()
