#!/usr/bin/env node
require("../dist/bundle/boot.cjs");
