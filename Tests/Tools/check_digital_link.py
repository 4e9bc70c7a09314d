#!/usr/bin/env python3
"""Checks stamp URLs with biip, an independent GS1 parser: one URL per line on standard input.

Prints one JSON object per URL: the element strings biip found, or its error. Exits 1 if any URL is
not a valid GS1 Digital Link URI.
"""
import json
import sys

import biip

failed = False
for line in sys.stdin:
    url = line.strip()
    if not url:
        continue
    result = biip.parse(url)
    link = result.gs1_digital_link_uri
    if link is None:
        failed = True
        print(json.dumps({"url": url, "error": str(result.gs1_digital_link_uri_error)}))
        continue
    elements = {element.ai.ai: element.value for element in link.element_strings}
    print(json.dumps({"url": url, "elements": elements}))
sys.exit(1 if failed else 0)
