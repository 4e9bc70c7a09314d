#!/usr/bin/env python3
"""Makes the category data ocoptrace ships (Sources/OCOPTrace/Export/Rules/categories/) from the
reference compiled for issue 11 (../shared/reference/marketplace-categories/ by default).

For each seller centre it writes:
  {platform}-tree.tsv   id, parent_id, leaf (1, 0 or ? where unknown), name (the last segment of the
                        path: the path is rebuilt from the parents, which keeps the file compact)
  {platform}.json       the tree's and the mapping's sources, what is unconfirmed, and per key
                        (kind:KIND, group:N) the id or null, its path, confidence (high, medium, low,
                        none), source, date, the note with the alternatives, and for a missing leaf the
                        parent where it would sit.
The Lazada Philippines reference tree is not shipped: it is for judging shape only, never for ids.

Usage: scripts/make-category-data.py [reference-folder]
"""
import csv, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "reference", "marketplace-categories")
OUT = os.path.join(HERE, "..", "Sources", "OCOPTrace", "Export", "Rules", "categories")
DATE = "2026-11-24"  # the reference's "as of" date
# Where the note's first id is not the parent a missing leaf would sit under.
PARENT = {("lazada", "kind:liquor"): "8895",  # Đồ uống, Bia, Rượu (the note names Bia, a sibling kind)
          ("lazada", "kind:cured-meat"): "10003033"}  # Thực phẩm chế biến sẵn, not fresh meat
LEAF = {"1": "1", "true": "1", "0": "0", "false": "0", "unknown": "?"}


def tree(platform):
    rows = list(csv.DictReader(open(os.path.join(REFERENCE, platform + "-tree.tsv"), encoding="utf-8"), delimiter="\t"))
    nodes = {}
    for row in rows:
        name = row["path"].split(" > ")[-1]
        assert "\t" not in name and "\n" not in name, row
        nodes[row["id"]] = (row["parent_id"], LEAF[row["is_leaf"]], name)
    return rows, nodes


def main():
    os.makedirs(OUT, exist_ok=True)
    for platform in ["shopee", "lazada", "tiki", "tiktok"]:
        reference = json.load(open(os.path.join(REFERENCE, platform + ".json"), encoding="utf-8"))
        rows, nodes = tree(platform)
        with open(os.path.join(OUT, platform + "-tree.tsv"), "w", encoding="utf-8", newline="") as out:
            out.write("id\tparent_id\tleaf\tname\n")
            for row in rows:
                parent, leaf, name = nodes[row["id"]]
                out.write(f"{row['id']}\t{parent}\t{leaf}\t{name}\n")
        source = f"marketplace-categories/{platform}.json (reference of {DATE}; its sources below)"
        mapping = {}
        for key, entry in reference["mapping"].items():
            id_ = None if entry["id"] is None else str(entry["id"])
            shipped = {"id": id_, "path": entry["path"] or None,
                       "confidence": entry["confidence"] if id_ else "none",
                       "source": source, "date": DATE, "note": entry["note"]}
            if (platform, key) in PARENT:
                shipped["parent"] = PARENT[(platform, key)]
            elif id_ is None:
                # The parent the note names first that the tree knows: where the right leaf would sit.
                for candidate in re.findall(r"\b\d{3,9}\b", entry["note"]):
                    if candidate in nodes and nodes[candidate][1] != "1":
                        shipped["parent"] = candidate
                        break
            elif id_ not in nodes:
                print(f"{platform} {key}: id {id_} is not in the tree", file=sys.stderr)
            mapping[key] = shipped
        data = {
            "platform": platform, "country": reference.get("country", "VN"), "checked_on": DATE,
            "tree": f"{platform}-tree.tsv: {len(rows)} nodes from the reference's {platform}-tree.tsv",
            "sources": reference["sources"], "unconfirmed": reference.get("unconfirmed", []),
            "mapping": mapping,
        }
        with open(os.path.join(OUT, platform + ".json"), "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
        print(platform, len(rows), "nodes,", sum(1 for m in mapping.values() if m["id"]), "ids of", len(mapping))


main()
