#ifndef WORKBENCH_CLIBCRYPTO_SHIM_H
#define WORKBENCH_CLIBCRYPTO_SHIM_H
/* OpenSSL 3 marks the low-level SHA256_* calls deprecated but still exports them; they are the
   only way to run one raw compression (SHA256_Transform) without EVP's per-call overhead.
   Suppressing the deprecation attribute keeps the Swift import warning-free. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
/* Curve and big-number arithmetic for deterministic ECDSA (RFC 6979) on P-256: the group
   (NID_X9_62_prime256v1), k·G (EC_POINT_mul), and the scalar algebra mod n (BN_mod_*). */
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#endif
