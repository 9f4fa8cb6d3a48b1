// tss2_on_demand.cc — the tpm2-tss functions the device module calls (src/host/device/tpm.cc),
// defined here as forwarders that dlopen the TSS libraries on first use. Only `fieldtrust device`
// with a TPM needs them; linked normally, the loader maps and relocates five TSS libraries before
// every command starts, 0.3 ms of a 3 ms `fieldtrust verify`. Loaded here, libtss2-esys brings
// its own shared libcrypto beside the CLI's static one: harmless, since only TSS structures
// cross into the TSS (tpm.cc hashes with the CLI's OpenSSL and hands the TSS plain bytes).
//
// Linked into the CLI when FT_CLI_STATIC is on (src/cli/CMakeLists.txt): these definitions
// satisfy the device module's references, so --as-needed leaves the TSS libraries out. The
// prototypes come from the TSS headers: a changed signature fails to compile here. A function
// the device module starts to use without a forwarder here links the library again (the
// cli_static_link test then fails and names it).
#include <dlfcn.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_sys.h>
#include <tss2/tss2_tctildr.h>

#include <mutex>
#include <string>

namespace {

// TssLibrary — one TSS library by soname (the ABI these headers describe), opened once.
struct TssLibrary {
  const char* soname;
  std::once_flag opened;
  void* handle = nullptr;
};

TssLibrary esys_library{"libtss2-esys.so.0", {}, nullptr};
TssLibrary sys_library{"libtss2-sys.so.1", {}, nullptr};
TssLibrary tctildr_library{"libtss2-tctildr.so.0", {}, nullptr};
TssLibrary rc_library{"libtss2-rc.so.0", {}, nullptr};

// The first load failure, for Tss2_RC_Decode to report instead of a bare "not implemented".
std::mutex load_error_mutex;
std::string load_error;

// resolve returns name from library, opening it on first use; null when either is missing.
template <typename Function>
Function* resolve(TssLibrary& library, const char* name) {
  std::call_once(library.opened, [&library] {
    library.handle = ::dlopen(library.soname, RTLD_NOW | RTLD_LOCAL);
    if (library.handle == nullptr) {
      const std::lock_guard lock(load_error_mutex);
      if (load_error.empty()) load_error = std::string("cannot load the TPM library: ") + ::dlerror();
    }
  });
  if (library.handle == nullptr) return nullptr;
  void* symbol = ::dlsym(library.handle, name);
  if (symbol == nullptr) {
    const std::lock_guard lock(load_error_mutex);
    if (load_error.empty()) load_error = std::string("TPM library ") + library.soname + " lacks " + name;
  }
  return reinterpret_cast<Function*>(symbol);
}

}  // namespace

// Each forwarder resolves its function once (a thread-safe static) and calls it; without the
// library it fails the way the TSS reports a missing feature, and void functions do nothing (no
// object of a missing library can exist to be freed).
#define FT_TSS2_REAL(library, function) static auto* const real = resolve<decltype(function)>(library, #function)

TSS2_RC Tss2_TctiLdr_Initialize(const char* name_conf, TSS2_TCTI_CONTEXT** context) {
  FT_TSS2_REAL(tctildr_library, Tss2_TctiLdr_Initialize);
  return real != nullptr ? real(name_conf, context) : TSS2_TCTI_RC_NOT_IMPLEMENTED;
}

void Tss2_TctiLdr_Finalize(TSS2_TCTI_CONTEXT** context) {
  FT_TSS2_REAL(tctildr_library, Tss2_TctiLdr_Finalize);
  if (real != nullptr) real(context);
}

const char* Tss2_RC_Decode(TSS2_RC rc) {
  {
    const std::lock_guard lock(load_error_mutex);
    if (!load_error.empty()) return load_error.c_str();  // never cleared: the pointer stays valid
  }
  FT_TSS2_REAL(rc_library, Tss2_RC_Decode);
  if (real != nullptr) return real(rc);
  const std::lock_guard lock(load_error_mutex);
  return load_error.c_str();
}

TSS2_RC Tss2_Sys_FlushContext(TSS2_SYS_CONTEXT* sys_context, TPMI_DH_CONTEXT flush_handle) {
  FT_TSS2_REAL(sys_library, Tss2_Sys_FlushContext);
  return real != nullptr ? real(sys_context, flush_handle) : (TSS2_SYS_RC_LAYER | TSS2_BASE_RC_NOT_IMPLEMENTED);
}

TSS2_RC Esys_Initialize(ESYS_CONTEXT** esys_context, TSS2_TCTI_CONTEXT* tcti, TSS2_ABI_VERSION* abi_version) {
  FT_TSS2_REAL(esys_library, Esys_Initialize);
  return real != nullptr ? real(esys_context, tcti, abi_version) : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

void Esys_Finalize(ESYS_CONTEXT** context) {
  FT_TSS2_REAL(esys_library, Esys_Finalize);
  if (real != nullptr) real(context);
}

void Esys_Free(void* ptr) {
  FT_TSS2_REAL(esys_library, Esys_Free);
  if (real != nullptr) real(ptr);
}

TSS2_RC Esys_GetSysContext(ESYS_CONTEXT* esys_context, TSS2_SYS_CONTEXT** sys_context) {
  FT_TSS2_REAL(esys_library, Esys_GetSysContext);
  return real != nullptr ? real(esys_context, sys_context) : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_Startup(ESYS_CONTEXT* esys_context, TPM2_SU startup_type) {
  FT_TSS2_REAL(esys_library, Esys_Startup);
  return real != nullptr ? real(esys_context, startup_type) : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_GetCapability(ESYS_CONTEXT* esys_context, ESYS_TR shandle1, ESYS_TR shandle2, ESYS_TR shandle3,
                           TPM2_CAP capability, UINT32 property, UINT32 property_count, TPMI_YES_NO* more_data,
                           TPMS_CAPABILITY_DATA** capability_data) {
  FT_TSS2_REAL(esys_library, Esys_GetCapability);
  return real != nullptr ? real(esys_context, shandle1, shandle2, shandle3, capability, property, property_count,
                                more_data, capability_data)
                         : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_FlushContext(ESYS_CONTEXT* esys_context, ESYS_TR flush_handle) {
  FT_TSS2_REAL(esys_library, Esys_FlushContext);
  return real != nullptr ? real(esys_context, flush_handle) : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_TR_FromTPMPublic(ESYS_CONTEXT* esys_context, TPM2_HANDLE tpm_handle, ESYS_TR optional_session1,
                              ESYS_TR optional_session2, ESYS_TR optional_session3, ESYS_TR* object) {
  FT_TSS2_REAL(esys_library, Esys_TR_FromTPMPublic);
  return real != nullptr
             ? real(esys_context, tpm_handle, optional_session1, optional_session2, optional_session3, object)
             : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_CreatePrimary(ESYS_CONTEXT* esys_context, ESYS_TR primary_handle, ESYS_TR shandle1, ESYS_TR shandle2,
                           ESYS_TR shandle3, const TPM2B_SENSITIVE_CREATE* in_sensitive, const TPM2B_PUBLIC* in_public,
                           const TPM2B_DATA* outside_info, const TPML_PCR_SELECTION* creation_pcr,
                           ESYS_TR* object_handle, TPM2B_PUBLIC** out_public, TPM2B_CREATION_DATA** creation_data,
                           TPM2B_DIGEST** creation_hash, TPMT_TK_CREATION** creation_ticket) {
  FT_TSS2_REAL(esys_library, Esys_CreatePrimary);
  return real != nullptr
             ? real(esys_context, primary_handle, shandle1, shandle2, shandle3, in_sensitive, in_public, outside_info,
                    creation_pcr, object_handle, out_public, creation_data, creation_hash, creation_ticket)
             : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_Sign(ESYS_CONTEXT* esys_context, ESYS_TR key_handle, ESYS_TR shandle1, ESYS_TR shandle2, ESYS_TR shandle3,
                  const TPM2B_DIGEST* digest, const TPMT_SIG_SCHEME* in_scheme, const TPMT_TK_HASHCHECK* validation,
                  TPMT_SIGNATURE** signature) {
  FT_TSS2_REAL(esys_library, Esys_Sign);
  return real != nullptr
             ? real(esys_context, key_handle, shandle1, shandle2, shandle3, digest, in_scheme, validation, signature)
             : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_NV_DefineSpace(ESYS_CONTEXT* esys_context, ESYS_TR auth_handle, ESYS_TR shandle1, ESYS_TR shandle2,
                            ESYS_TR shandle3, const TPM2B_AUTH* auth, const TPM2B_NV_PUBLIC* public_info,
                            ESYS_TR* nv_handle) {
  FT_TSS2_REAL(esys_library, Esys_NV_DefineSpace);
  return real != nullptr ? real(esys_context, auth_handle, shandle1, shandle2, shandle3, auth, public_info, nv_handle)
                         : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_NV_ReadPublic(ESYS_CONTEXT* esys_context, ESYS_TR nv_index, ESYS_TR shandle1, ESYS_TR shandle2,
                           ESYS_TR shandle3, TPM2B_NV_PUBLIC** nv_public, TPM2B_NAME** nv_name) {
  FT_TSS2_REAL(esys_library, Esys_NV_ReadPublic);
  return real != nullptr ? real(esys_context, nv_index, shandle1, shandle2, shandle3, nv_public, nv_name)
                         : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_NV_Increment(ESYS_CONTEXT* esys_context, ESYS_TR auth_handle, ESYS_TR nv_index, ESYS_TR shandle1,
                          ESYS_TR shandle2, ESYS_TR shandle3) {
  FT_TSS2_REAL(esys_library, Esys_NV_Increment);
  return real != nullptr ? real(esys_context, auth_handle, nv_index, shandle1, shandle2, shandle3)
                         : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}

TSS2_RC Esys_NV_Read(ESYS_CONTEXT* esys_context, ESYS_TR auth_handle, ESYS_TR nv_index, ESYS_TR shandle1,
                     ESYS_TR shandle2, ESYS_TR shandle3, UINT16 size, UINT16 offset, TPM2B_MAX_NV_BUFFER** data) {
  FT_TSS2_REAL(esys_library, Esys_NV_Read);
  return real != nullptr ? real(esys_context, auth_handle, nv_index, shandle1, shandle2, shandle3, size, offset, data)
                         : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
