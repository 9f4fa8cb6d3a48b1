#include "ft/device/tpm.h"

#include <openssl/evp.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_sys.h>
#include <tss2/tss2_tctildr.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ft/host/error.h"

namespace ft::device {

using host::UserError;

namespace {

// TPM response codes the code below expects (format-zero codes, returned as is by Esys).
constexpr TSS2_RC kRcInitialize = 0x100;       // TPM2_RC_INITIALIZE: already started
constexpr TSS2_RC kRcNvUninitialized = 0x14a;  // TPM2_RC_NV_UNINITIALIZED: counter never incremented
constexpr TSS2_RC kRcNvDefined = 0x14c;        // TPM2_RC_NV_DEFINED

std::string index_text(std::uint32_t index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", index);
  return buf;
}

ESYS_CONTEXT* ctx(const TpmConnection& tpm) { return static_cast<ESYS_CONTEXT*>(tpm.esys()); }

[[noreturn]] void fail(const TpmConnection& tpm, const std::string& what, TSS2_RC rc) {
  throw UserError("TPM (" + tpm.tcti() + "): " + what + ": " + Tss2_RC_Decode(rc), host::kExitEnvironment);
}

// The DER prefix of a P-256 SubjectPublicKeyInfo (id-ecPublicKey, prime256v1, 65-byte point).
constexpr std::uint8_t kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
                                            0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
                                            0x07, 0x03, 0x42, 0x00, 0x04};

void append_padded(std::vector<std::uint8_t>& out, const std::uint8_t* data, std::size_t size, std::size_t width) {
  if (size > width) throw UserError("TPM returned an ECC value longer than the curve", host::kExitEnvironment);
  out.insert(out.end(), width - size, 0);
  out.insert(out.end(), data, data + size);
}

void sha256(Bytes data, std::uint8_t out[32]) {
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1) {
    throw UserError("SHA-256 failed in OpenSSL", host::kExitEnvironment);
  }
}

}  // namespace

TpmConnection::TpmConnection(const std::string& tcti) : tcti_(tcti) {
  // The TSS logs every TPM error response on stderr; the codes are reported through exceptions.
  ::setenv("TSS2_LOG", "all+NONE", 0);
  TSS2_TCTI_CONTEXT* t = nullptr;
  TSS2_RC rc = Tss2_TctiLdr_Initialize(tcti.c_str(), &t);
  if (rc != TSS2_RC_SUCCESS) {
    throw UserError("TPM: cannot open TCTI \"" + tcti + "\": " + Tss2_RC_Decode(rc) +
                        " (is swtpm running? scripts/start-swtpm.sh starts one)",
                    host::kExitEnvironment);
  }
  tcti_context_ = t;
  ESYS_CONTEXT* e = nullptr;
  rc = Esys_Initialize(&e, t, nullptr);
  if (rc != TSS2_RC_SUCCESS) {
    Tss2_TctiLdr_Finalize(&t);
    throw UserError("TPM (" + tcti + "): Esys_Initialize: " + Tss2_RC_Decode(rc), host::kExitEnvironment);
  }
  esys_ = e;
  try {
    rc = Esys_Startup(e, TPM2_SU_CLEAR);
    if (rc != TSS2_RC_SUCCESS && rc != kRcInitialize) fail(*this, "TPM2_Startup", rc);
    // Transient objects of earlier connections would fill the TPM's object slots.
    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA* data = nullptr;
    rc = Esys_GetCapability(e, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES, TPM2_TRANSIENT_FIRST,
                            TPM2_MAX_CAP_HANDLES, &more, &data);
    if (rc != TSS2_RC_SUCCESS) fail(*this, "TPM2_GetCapability(handles)", rc);
    TSS2_SYS_CONTEXT* sys = nullptr;
    if (Esys_GetSysContext(e, &sys) == TSS2_RC_SUCCESS) {
      for (UINT32 i = 0; i < data->data.handles.count; ++i) Tss2_Sys_FlushContext(sys, data->data.handles.handle[i]);
    }
    Esys_Free(data);
  } catch (...) {
    Esys_Finalize(&e);
    Tss2_TctiLdr_Finalize(&t);
    throw;
  }
}

TpmConnection::~TpmConnection() {
  auto* e = static_cast<ESYS_CONTEXT*>(esys_);
  auto* t = static_cast<TSS2_TCTI_CONTEXT*>(tcti_context_);
  Esys_Finalize(&e);
  Tss2_TctiLdr_Finalize(&t);
}

bool TpmCounterStore::define_counter(TpmConnection& tpm, std::uint32_t nv_index) {
  TPM2B_NV_PUBLIC pub{};
  pub.nvPublic.nvIndex = nv_index;
  pub.nvPublic.nameAlg = TPM2_ALG_SHA256;
  pub.nvPublic.attributes = TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_AUTHWRITE | TPMA_NV_AUTHREAD |
                            (TPM2_NT_COUNTER << TPMA_NV_TPM2_NT_SHIFT);
  pub.nvPublic.dataSize = 8;
  TPM2B_AUTH auth{};
  ESYS_TR handle = ESYS_TR_NONE;
  const TSS2_RC rc = Esys_NV_DefineSpace(ctx(tpm), ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &auth,
                                         &pub, &handle);
  if (rc == TSS2_RC_SUCCESS) return true;
  if (rc != kRcNvDefined) fail(tpm, "TPM2_NV_DefineSpace", rc);
  TpmCounterStore check(tpm, nv_index);  // throws unless the existing index is a counter
  return false;
}

TpmCounterStore::TpmCounterStore(TpmConnection& tpm, std::uint32_t nv_index, PowerSupply* supply)
    : tpm_(tpm), nv_index_(nv_index), supply_(supply) {
  ESYS_TR handle = ESYS_TR_NONE;
  TSS2_RC rc = Esys_TR_FromTPMPublic(ctx(tpm), nv_index, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &handle);
  if (rc != TSS2_RC_SUCCESS) fail(tpm, "NV index " + index_text(nv_index) + " is not defined", rc);
  handle_ = handle;
  TPM2B_NV_PUBLIC* pub = nullptr;
  rc = Esys_NV_ReadPublic(ctx(tpm), handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &pub, nullptr);
  if (rc != TSS2_RC_SUCCESS) fail(tpm, "TPM2_NV_ReadPublic", rc);
  const TPM2_NT type = static_cast<TPM2_NT>((pub->nvPublic.attributes & TPMA_NV_TPM2_NT_MASK) >> TPMA_NV_TPM2_NT_SHIFT);
  const std::uint16_t size = pub->nvPublic.dataSize;
  Esys_Free(pub);
  if (type != TPM2_NT_COUNTER || size != 8) {
    throw UserError("TPM (" + tpm.tcti() + "): NV index " + index_text(nv_index) + " exists but is not an 8-byte counter",
                    host::kExitEnvironment);
  }
}

std::uint64_t TpmCounterStore::read() {
  TPM2B_MAX_NV_BUFFER* data = nullptr;
  const TSS2_RC rc = Esys_NV_Read(ctx(tpm_), handle_, handle_, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, 8, 0, &data);
  if (rc == kRcNvUninitialized) return 0;
  if (rc != TSS2_RC_SUCCESS) fail(tpm_, "TPM2_NV_Read", rc);
  std::uint64_t v = 0;
  for (int i = 0; i < 8 && i < data->size; ++i) v = (v << 8) | data->buffer[i];
  Esys_Free(data);
  return v;
}

void TpmCounterStore::advance(std::uint64_t to) {
  std::uint64_t value = read();
  while (value < to) {
    if (supply_ != nullptr && !supply_->consume("tpm_increment")) {
      throw PowerCut("TPM NV increment (counter at " + std::to_string(value) + ")", supply_->operations());
    }
    const TSS2_RC rc = Esys_NV_Increment(ctx(tpm_), handle_, handle_, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE);
    if (rc != TSS2_RC_SUCCESS) fail(tpm_, "TPM2_NV_Increment", rc);
    ++increments_;
    value = read();
  }
}

TpmSigner::TpmSigner(TpmConnection& tpm, const std::string& label) : tpm_(tpm), label_(label) {
  TPM2B_PUBLIC in{};
  TPMT_PUBLIC& p = in.publicArea;
  p.type = TPM2_ALG_ECC;
  p.nameAlg = TPM2_ALG_SHA256;
  p.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
                       TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_SIGN_ENCRYPT;
  p.parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
  p.parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
  p.parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
  p.parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
  p.parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
  // The unique field makes the primary key depend on the label (one key per device).
  const std::string unique = "FieldTrust device identity: " + label;
  sha256(Bytes(reinterpret_cast<const std::uint8_t*>(unique.data()), unique.size()), p.unique.ecc.x.buffer);
  p.unique.ecc.x.size = 32;
  TPM2B_SENSITIVE_CREATE sensitive{};
  TPM2B_DATA outside{};
  TPML_PCR_SELECTION pcrs{};
  ESYS_TR key = ESYS_TR_NONE;
  TPM2B_PUBLIC* out = nullptr;
  const TSS2_RC rc = Esys_CreatePrimary(ctx(tpm), ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                        &sensitive, &in, &outside, &pcrs, &key, &out, nullptr, nullptr, nullptr);
  if (rc != TSS2_RC_SUCCESS) fail(tpm, "TPM2_CreatePrimary (ECC P-256 identity key)", rc);
  key_ = key;
  const TPMS_ECC_POINT& point = out->publicArea.unique.ecc;
  spki_.assign(std::begin(kP256SpkiPrefix), std::end(kP256SpkiPrefix));
  try {
    append_padded(spki_, point.x.buffer, point.x.size, 32);
    append_padded(spki_, point.y.buffer, point.y.size, 32);
  } catch (...) {
    Esys_Free(out);
    Esys_FlushContext(ctx(tpm), key);
    throw;
  }
  Esys_Free(out);
}

TpmSigner::~TpmSigner() { Esys_FlushContext(ctx(tpm_), key_); }

std::string TpmSigner::source() const { return "tpm:" + tpm_.tcti() + "#identity:" + label_; }

std::vector<std::uint8_t> TpmSigner::sign(Bytes message) {
  TPM2B_DIGEST digest{};
  digest.size = 32;
  sha256(message, digest.buffer);
  TPMT_SIG_SCHEME scheme{};
  scheme.scheme = TPM2_ALG_ECDSA;
  scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
  TPMT_TK_HASHCHECK ticket{};
  ticket.tag = TPM2_ST_HASHCHECK;
  ticket.hierarchy = TPM2_RH_NULL;
  TPMT_SIGNATURE* signature = nullptr;
  const TSS2_RC rc = Esys_Sign(ctx(tpm_), key_, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &digest, &scheme, &ticket,
                               &signature);
  if (rc != TSS2_RC_SUCCESS) fail(tpm_, "TPM2_Sign", rc);
  std::vector<std::uint8_t> out;
  try {
    const TPMS_SIGNATURE_ECC& ecc = signature->signature.ecdsa;
    append_padded(out, ecc.signatureR.buffer, ecc.signatureR.size, 32);
    append_padded(out, ecc.signatureS.buffer, ecc.signatureS.size, 32);
  } catch (...) {
    Esys_Free(signature);
    throw;
  }
  Esys_Free(signature);
  return out;
}

}  // namespace ft::device
