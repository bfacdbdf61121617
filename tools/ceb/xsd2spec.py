#!/usr/bin/env python3
"""Builds dryport's CEB message spec from the official 2022-05 XSDs.

The spec (src/ceb/spec/ceb-202205.json) is the one checked-in source from
which the C++ model, reader, writer, JSON mapping and schema validator are
generated (tools/ceb/cebgen.py). It is the XSDs' content, flattened to what
the generator needs, plus the annotations in src/ceb/spec/annotations.json:
which code table or timestamp format a field's values must come from, and the
small closed value sets the standard's prose gives. Those are facts the XSDs
do not express, taken from ../shared/reference/ceb-messages.md §4-§5.

Usage: xsd2spec.py XSD_DIR ANNOTATIONS OUT_JSON
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"
SCHEMAS = [
    ("export", "ceb-export-202205.xsd", "exp"),
    ("import", "ceb-import-202205.xsd", "imp"),
]


def doc_of(el):
    d = el.find(f"{XS}annotation/{XS}documentation")
    return (d.text or "").strip() if d is not None else ""


def occurs(el):
    lo = int(el.get("minOccurs", "1"))
    hi = el.get("maxOccurs", "1")
    hi = -1 if hi == "unbounded" else int(hi)
    return lo, hi


def simple_facets(st):
    """Facets of an inline xs:simpleType/xs:restriction."""
    r = st.find(f"{XS}restriction")
    base = r.get("base").split(":")[-1]
    kind = {"string": "string", "decimal": "decimal", "int": "int"}[base]
    f = {"kind": kind}
    for child in r:
        tag = child.tag.replace(XS, "")
        if tag in ("length", "minLength", "maxLength", "totalDigits", "fractionDigits"):
            f[tag] = int(child.get("value"))
        elif tag == "whiteSpace":
            f["whiteSpace"] = child.get("value")
        elif tag == "enumeration":
            f.setdefault("enumeration", []).append(child.get("value"))
        elif tag == "annotation":
            pass
        else:
            raise SystemExit(f"unsupported facet {tag}")
    return f


class Builder:
    def __init__(self, root):
        self.globals = {e.get("name"): e for e in root.findall(f"{XS}element")}
        self.types = {}  # name -> type dict
        self.order = []

    def type_from(self, name, el, parent):
        ct = el.find(f"{XS}complexType")
        t = {"name": name, "xml": el.get("name"), "doc": doc_of(el), "fields": [], "attributes": []}
        seq = ct.find(f"{XS}sequence")
        for child in (seq if seq is not None else []):
            tag = child.tag.replace(XS, "")
            if tag == "any":
                t["fields"].append({"name": "any", "kind": "any", "min": 0, "max": -1, "doc": ""})
                continue
            if tag != "element":
                raise SystemExit(f"unsupported particle {tag} in {name}")
            lo, hi = occurs(child)
            if child.get("ref"):
                ref = child.get("ref")
                prefix, local = ref.split(":")
                if prefix == "ds":
                    t["fields"].append({"name": local, "kind": "signature", "min": lo, "max": hi,
                                        "doc": "XML-DSig enveloped signature, kept byte-exact"})
                    continue
                target = self.globals[local]
                self.define(local, target, name)
                t["fields"].append({"name": local, "kind": "element", "type": local, "min": lo, "max": hi,
                                    "doc": doc_of(target)})
                continue
            fname = child.get("name")
            f = {"name": fname, "min": lo, "max": hi, "doc": doc_of(child)}
            if child.get("type") == "ceb:XMLElement":
                f["kind"] = "any"
            elif child.get("type") in ("xs:int", "xs:string", "xs:decimal"):
                f["kind"] = {"xs:int": "int", "xs:string": "string", "xs:decimal": "decimal"}[child.get("type")]
            elif child.find(f"{XS}complexType") is not None:
                tname = self.define(fname, child, name)
                f["kind"] = "element"
                f["type"] = tname
            else:
                st = child.find(f"{XS}simpleType")
                if st is None:
                    raise SystemExit(f"{name}/{fname}: no type")
                f.update(simple_facets(st))
            for a in ("default", "fixed"):
                if child.get(a) is not None:
                    f[a] = child.get(a)
            t["fields"].append(f)
        for a in ct.findall(f"{XS}attribute"):
            af = {"name": a.get("name"), "required": a.get("use") == "required", "doc": doc_of(a)}
            af.update(simple_facets(a.find(f"{XS}simpleType")))
            t["attributes"].append(af)
        return t

    def define(self, name, el, parent):
        """Defines the type of element `el`; returns its type name. Inline
        types that clash with a different type of the same name get the
        parent's name as prefix."""
        t = self.type_from(name, el, parent)
        if name in self.types:
            if self.types[name]["fields"] == t["fields"] and self.types[name]["attributes"] == t["attributes"]:
                return name
            name = f"{parent}{name}"
            t["name"] = name
            if name in self.types:
                return name
        self.types[name] = t
        self.order.append(name)
        return name


def main():
    xsd_dir, annotations_path, out_path = sys.argv[1:4]
    with open(annotations_path, encoding="utf-8") as f:
        annotations = json.load(f)
    spec = {
        "edition": "2022-05",
        "namespace": "http://www.chinaport.gov.cn/ceb",
        "signature_namespace": "http://www.w3.org/2000/09/xmldsig#",
        "generated_by": "tools/ceb/xsd2spec.py from ../shared/reference/ceb-xsd-202205 and src/ceb/spec/annotations.json",
        "schemas": [],
    }
    for side, file, cpp_ns in SCHEMAS:
        root = ET.parse(f"{xsd_dir}/{file}").getroot()
        b = Builder(root)
        messages = []
        for name, el in b.globals.items():
            m = re.fullmatch(r"CEB(\d{3})Message", name)
            if not m:
                continue
            b.define(name, el, "")
            fields = b.types[name]["fields"]
            is_request = any(f["name"] == "BaseTransfer" for f in fields)
            business = [f["name"] for f in fields if f["kind"] == "element"
                        and f["name"] not in ("BaseTransfer", "BaseSubscribe", "ExtendMessage")]
            messages.append({"code": m.group(1), "root": name, "doc": doc_of(el),
                             "direction": "request" if is_request else "receipt",
                             "business": business})
        for tname in b.order:
            for f in b.types[tname]["fields"] + b.types[tname]["attributes"]:
                if f.get("kind") in ("string", "decimal", "int"):
                    ann = annotations["fields"].get(f"{side}:{tname}.{f['name']}") \
                        or annotations["fields"].get(f"{tname}.{f['name']}") \
                        or annotations["fields"].get(f["name"])
                    if ann:
                        f.update({k: v for k, v in ann.items() if not k.startswith("_")})
        spec["schemas"].append({"side": side, "xsd": file, "cpp_namespace": cpp_ns,
                                "types": [b.types[n] for n in b.order],
                                "messages": sorted(messages, key=lambda m: m["code"])})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
