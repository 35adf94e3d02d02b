#ifndef WORKBENCH_CLIBCRYPTO_SHIM_H
#define WORKBENCH_CLIBCRYPTO_SHIM_H
/* OpenSSL 3 marks the low-level SHA256_* calls deprecated but still exports them; they are the
   only way to run one raw compression (SHA256_Transform) without EVP's per-call overhead.
   Suppressing the deprecation attribute keeps the Swift import warning-free. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#endif
