#ifndef WORKBENCH_CMARK_SHIM_H
#define WORKBENCH_CMARK_SHIM_H
/* GitHub's fork of cmark, the CommonMark reference parser, with its table extension. */
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
#endif
