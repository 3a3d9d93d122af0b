#!/usr/bin/python3
"""Makes the README's screenshot from a browser-test artefact: scaled to 800 px wide and
posterized to 16 levels per channel, so the PNG stays small.

  readme_screenshot.py build/release/tests/browser/artefacts/camera-drift.png docs/images/lab-page.png
"""
import sys

import cv2

source, target = sys.argv[1:3]
image = cv2.imread(source)
if image is None:
    sys.exit(f"cannot read {source}")
height, width = image.shape[:2]
small = cv2.resize(image, (800, round(height * 800 / width)), interpolation=cv2.INTER_AREA)
cv2.imwrite(target, (small // 16) * 16 + 8, [cv2.IMWRITE_PNG_COMPRESSION, 9])
