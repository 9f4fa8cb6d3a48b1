// validate_path: path building (ordered walk or bounded depth-first search) and the choice of the
// report. The rules themselves are in rules.cc.
#include "ft/x509/path.h"

#include <new>

#include "ft/base/reset.h"
#include "ft/der/der.h"
#include "rules.h"

namespace ft::x509 {

namespace {

// Candidate — a path under construction: certs[0] is the leaf, certs[top] the certificate whose
// issuer is sought. An anchor found for it is described by an AnchorMatch.
struct Candidate {
  const Certificate* certs[kMaxChain] = {};
  std::size_t top = 0;
};

// AnchorMatch — how a candidate ends at an anchor.
struct AnchorMatch {
  std::size_t anchor_number = 0;  // 1 + index into anchors; 0: no anchor (a zero default is cheaper)
  const Certificate* certificate = nullptr;  // anchor certificate (certificate / spki_sha256 kinds)
  // raw_key kind; the top certificate was already verified under it (try_anchors matches a raw key
  // by that signature), so judge does not verify that link again
  const PublicKey* raw_key = nullptr;
};

// Terminal — why an incomplete path stops. An Error, so without FT_CORE_MESSAGES it is the code
// alone (a register, not a code and a pointer in memory).
struct Terminal {
  Error reason = make_error(Code::cert_untrusted_root,
                            "issuer not found among the untrusted certificates and no anchor issued it");
};

struct Context {
  Context(const Certificate& leaf_in, std::span<const Certificate> pool_in, std::span<const TrustAnchor> anchors_in,
          const PathPolicy& policy_in, CryptoPort& crypto_in, PathReport& best_in, PathReport& scratch_in)
      : leaf(leaf_in),
        pool(pool_in),
        anchors(anchors_in),
        policy(policy_in),
        crypto(crypto_in),
        best(best_in),
        scratch(scratch_in) {
    max_intermediates = policy.max_intermediates < kMaxIntermediates ? policy.max_intermediates : kMaxIntermediates;
  }

  const Certificate& leaf;
  std::span<const Certificate> pool;
  std::span<const TrustAnchor> anchors;
  const PathPolicy& policy;
  CryptoPort& crypto;
  PathReport& best;     // the caller's report: the best path so far
  PathReport& scratch;  // the candidate being judged
  std::size_t max_intermediates = 0;
  // 1 + index of the spki_sha256 anchor whose digest pool[i]'s SPKI has; 0: none (the zero
  // default needs no initialising loop)
  std::size_t pinned_by[kMaxChain] = {};
  // The match of a path that reaches no anchor, for judge and fill_path: a member zeroed with the
  // context costs less flash than a .rodata constant whose address each caller loads.
  AnchorMatch no_anchor;

  std::size_t nodes = 0;
  std::size_t candidates = 0;
  std::size_t signatures = 0;
  // A valid path was found or a bound was hit: try no more. One flag for both (flash): a valid
  // path is a candidate, so without a candidate it means a search bound stopped the search.
  bool done = false;
  bool depth_limited = false;  // an issuer existed but max_intermediates forbade using it
  bool have_candidate = false;  // best holds a complete path
  Status failure;               // crypto_failure: no verdict possible
  // Where signature probes (self-signature, raw-key anchors) put their findings; only whether the
  // backend failed is read. Findings writes an item before reading it: no zeroing (flash).
  Unfilled<CertError[kMaxErrors]> probe_items;
};

// copy_report copies a report; a path ending at the source's anchor_certificate storage is made to
// end at the destination's.
void copy_report(const PathReport& from, PathReport& to) {
  if (&from == &to) return;
  to = from;
  if (from.path_length > 0 && from.path[from.path_length - 1] == &from.anchor_certificate) {
    to.path[to.path_length - 1] = &to.anchor_certificate;
  }
}

// judge checks the path in report.path (complete or not) and fills the report's findings.
void judge(Context& ctx, PathReport& report, const AnchorMatch& anchor, const Terminal* terminal) {
  Findings findings(report.errors);
  const std::size_t length = report.path_length;
  const bool has_anchor_certificate = anchor.certificate != nullptr;
  std::size_t intermediates_below = 0;  // non-self-issued intermediates between position and leaf

  for (std::size_t position = 0; position < length; ++position) {
    const Certificate& cert = *report.path[position];
    check_certificate(cert, position, intermediates_below, ctx.policy, findings);
    if (position != 0) {
      const bool is_anchor = has_anchor_certificate && position == length - 1;
      if (!is_anchor && !is_self_issued(cert)) ++intermediates_below;
    }

    // The link to the next certificate (a raw-key anchor's link was verified when it matched).
    if (position + 1 < length) {
      const Certificate& issuer = *report.path[position + 1];
      if (!issuer_name_matches(cert, issuer)) {
        findings.add(Code::cert_issuer_mismatch, position, "issuer name differs from the next certificate's subject");
      }
      verify_link(ctx.crypto, cert, position, issuer.key, findings, ctx.signatures);
    }
  }
  // A raw-key anchor is judged at position length, after the last certificate's link; a path
  // with one never has a terminal (judge gets ctx.no_anchor then), so the order is kept.
  if (anchor.raw_key != nullptr) check_key(*anchor.raw_key, Error{}, ctx.policy.keys, length, findings);
  if (terminal != nullptr) findings.add(terminal->reason.code, length - 1, terminal->reason.message);

  report.error_count = findings.count;
  report.errors_truncated = findings.truncated;
  report.error = Error{};
  if (findings.crypto_failed) {
    report.error = make_error(Code::crypto_failure, "crypto backend failed; no verdict on the path");
  } else if (terminal != nullptr) {
    // Without an anchor the path is untrusted whatever else is wrong: the reason it stops leads.
    report.error = terminal->reason;
  } else if (findings.count > 0) {
    // Findings are truncated only once kMaxErrors are held, so a truncated list is never empty.
    report.error = make_error(findings.items[0].code, findings.items[0].message);
  }
}

// fill_path copies candidate (and the anchor certificate, if any) into report's path.
[[gnu::noinline]] void fill_path(PathReport& report, const Candidate& candidate, const AnchorMatch& anchor) {
  report.path_length = 0;
  for (std::size_t i = 0; i <= candidate.top; ++i) report.path[report.path_length++] = candidate.certs[i];
  if (anchor.certificate != nullptr) report.path[report.path_length++] = anchor.certificate;
  report.path_complete = anchor.anchor_number != 0;
  report.anchor_index = static_cast<int>(anchor.anchor_number) - 1;  // -1 when there is none
}

// evaluate judges a complete candidate; keeps it as best when it is valid or has fewer findings.
void evaluate(Context& ctx, const Candidate& candidate, const AnchorMatch& anchor) {
  PathReport& scratch = ctx.scratch;
  fill_path(scratch, candidate, anchor);
  judge(ctx, scratch, anchor, nullptr);
  ++ctx.candidates;
  // A backend failure is reported whatever was kept before; it stops the walk, so the flags set
  // with it are never read.
  const bool failed = scratch.error.code == Code::crypto_failure;
  if (failed) ctx.failure = scratch.error;
  if (scratch.valid()) ctx.done = true;
  if (failed || scratch.valid() || !ctx.have_candidate || scratch.error_count < ctx.best.error_count) {
    copy_report(scratch, ctx.best);
    ctx.have_candidate = true;
  }
  if (ctx.candidates >= kMaxCandidatePaths) ctx.done = true;
}

// keep_partial remembers the longest incomplete path (for the report when no anchor is reached).
// Until then best.path_length is 0 (validate_path resets the report): no flag says it holds one.
void keep_partial(Context& ctx, const Candidate& candidate) {
  if (ctx.have_candidate || ctx.best.path_length >= candidate.top + 1) return;
  fill_path(ctx.best, candidate, ctx.no_anchor);
}

bool in_path(const Candidate& candidate, const Certificate& cert) {
  for (std::size_t i = 0; i <= candidate.top; ++i) {
    if (candidate.certs[i] == &cert || bytes_equal(candidate.certs[i]->der, cert.der)) return true;
  }
  return false;
}

bool stop(const Context& ctx) { return ctx.done || !ctx.failure.ok(); }

// try_anchors evaluates every way an anchor can issue candidate's top certificate. In ordered mode
// only the next given certificate (ordered_next) may be a pinned SPKI anchor certificate.
void try_anchors(Context& ctx, const Candidate& candidate, int ordered_next, bool& matched) {
  const Certificate& top = *candidate.certs[candidate.top];
  for (std::size_t i = 0; i < ctx.anchors.size() && !stop(ctx); ++i) {
    const TrustAnchor& trust_anchor = ctx.anchors[i];
    AnchorMatch anchor;
    anchor.anchor_number = i + 1;
    switch (trust_anchor.kind) {
      case AnchorKind::certificate: {
        // validate_path checked up front that it parses, so its status is not looked at here.
        Certificate& parsed = ctx.scratch.anchor_certificate;
        (void)parse_certificate(trust_anchor.certificate, parsed);
        if (!issuer_name_matches(top, parsed)) break;
        anchor.certificate = &parsed;
        matched = true;
        evaluate(ctx, candidate, anchor);
        break;
      }
      case AnchorKind::spki_sha256:
        for (std::size_t j = 0; j < ctx.pool.size() && !stop(ctx); ++j) {
          if (ctx.pinned_by[j] != i + 1) continue;
          if (ordered_next >= 0 && j != static_cast<std::size_t>(ordered_next)) continue;
          if (in_path(candidate, ctx.pool[j]) || !issuer_name_matches(top, ctx.pool[j])) continue;
          anchor.certificate = &ctx.pool[j];
          matched = true;
          evaluate(ctx, candidate, anchor);
        }
        break;
      case AnchorKind::raw_key: {
        if (ctx.signatures >= kMaxSignatureVerifications) {
          ctx.done = true;
          break;
        }
        // A raw key has no name: the signature decides whether it issued the top certificate.
        Findings probe(ctx.probe_items.get());
        const bool verified = verify_link(ctx.crypto, top, candidate.top, trust_anchor.raw_key, probe, ctx.signatures);
        if (probe.crypto_failed) {
          ctx.failure = make_error(Code::crypto_failure, "crypto backend failed while matching a raw-key anchor");
          break;
        }
        if (!verified) break;
        anchor.raw_key = &trust_anchor.raw_key;
        matched = true;
        evaluate(ctx, candidate, anchor);
        break;
      }
    }
  }
}

// search_any is the bounded depth-first search over untrusted certificates in any order.
void search_any(Context& ctx) {
  Candidate candidate;
  candidate.certs[0] = &ctx.leaf;
  std::size_t next[kMaxChain] = {};
  bool fresh = true;
  while (true) {
    if (fresh) {
      fresh = false;
      if (++ctx.nodes > kMaxSearchNodes) {
        ctx.done = true;
        return;
      }
      keep_partial(ctx, candidate);
      bool matched = false;
      try_anchors(ctx, candidate, -1, matched);
      if (stop(ctx)) return;
    }
    const std::size_t depth = candidate.top;
    const Certificate& top = *candidate.certs[depth];
    bool pushed = false;
    while (next[depth] < ctx.pool.size()) {
      const std::size_t j = next[depth]++;
      const Certificate& issuer = ctx.pool[j];
      if (ctx.pinned_by[j] != 0 || in_path(candidate, issuer)) continue;
      if (!issuer_name_matches(top, issuer)) continue;
      bool is_anchor_copy = false;
      for (const TrustAnchor& a : ctx.anchors) {
        if (a.kind == AnchorKind::certificate && bytes_equal(a.certificate, issuer.der)) is_anchor_copy = true;
      }
      if (is_anchor_copy) continue;
      if (depth >= ctx.max_intermediates) {
        ctx.depth_limited = true;
        continue;
      }
      candidate.top = depth + 1;
      candidate.certs[depth + 1] = &issuer;
      next[depth + 1] = 0;
      pushed = true;
      fresh = true;
      break;
    }
    if (pushed) continue;
    if (depth == 0) return;
    candidate.top = depth - 1;
  }
}

// walk_ordered follows the untrusted certificates in the given order (x5chain). Returns the
// terminal reason when it stops without reaching an anchor.
Terminal walk_ordered(Context& ctx) {
  Candidate candidate;
  candidate.certs[0] = &ctx.leaf;
  while (true) {
    keep_partial(ctx, candidate);
    const std::size_t depth = candidate.top;
    bool matched = false;
    try_anchors(ctx, candidate, static_cast<int>(depth), matched);
    if (matched || stop(ctx)) return {};
    const Certificate& top = *candidate.certs[depth];
    if (depth >= ctx.pool.size()) return {};
    if (!issuer_name_matches(top, ctx.pool[depth])) {
      return {make_error(Code::cert_issuer_mismatch, "issuer name differs from the next given certificate's subject")};
    }
    if (depth >= ctx.max_intermediates) {
      return {make_error(Code::cert_chain_too_long, "the chain needs more intermediates than the policy allows")};
    }
    candidate.top = depth + 1;
    candidate.certs[depth + 1] = &ctx.pool[depth];
  }
}

// pin_pool finds the untrusted certificates whose SPKI digest equals an spki_sha256 anchor.
Status pin_pool(Context& ctx) {
  bool any_pins = false;
  for (const TrustAnchor& a : ctx.anchors) any_pins = any_pins || a.kind == AnchorKind::spki_sha256;
  if (!any_pins) return {};
  for (std::size_t j = 0; j < ctx.pool.size(); ++j) {
    // Zeroed bytes that hold a Digest (an implicit-lifetime type, C++20): `Digest spki_digest;`
    // would make GCC copy Digest's default, 65 zero bytes, from .rodata (flash).
    alignas(Digest) std::uint8_t digest_bytes[sizeof(Digest)] = {};
    Digest& spki_digest = *std::launder(reinterpret_cast<Digest*>(digest_bytes));
    if (!digest(ctx.crypto, HashAlg::sha256, ctx.pool[j].spki, spki_digest).ok()) {
      return {Code::crypto_failure, keep_message("crypto backend failed while hashing a SubjectPublicKeyInfo")};
    }
    for (std::size_t i = 0; i < ctx.anchors.size(); ++i) {
      const TrustAnchor& a = ctx.anchors[i];
      if (a.kind == AnchorKind::spki_sha256 && constant_time_equal(spki_digest.bytes(), Bytes(a.spki_sha256, 32))) {
        ctx.pinned_by[j] = i + 1;
        break;
      }
    }
  }
  return {};
}

// self_signed returns true when leaf names itself as issuer and its signature verifies with its
// own key (see path.h for why both are required); crypto_failed tells a backend failure.
bool self_signed(Context& ctx, bool& crypto_failed) {
  const Certificate& leaf = ctx.leaf;
  if (!is_self_issued(leaf) || leaf.key_error.code != Code::ok) return false;
  Findings probe(ctx.probe_items.get());
  const bool verified = verify_link(ctx.crypto, leaf, 0, leaf.key, probe, ctx.signatures);
  crypto_failed = probe.crypto_failed;
  return verified;
}

// record_policy notes in the report how validity was judged; validate_path records it in the
// scratch report and copies that into the report, as it copies every candidate judged there.
void record_policy(PathReport& report, const PathPolicy& policy) {
  report.time_mode = policy.time_mode;
  report.time = policy.time;
  report.validity_checked = policy.time_mode != TimeMode::none;
}

}  // namespace

Status validate_path(const Certificate& leaf, std::span<const Certificate> untrusted,
                     std::span<const TrustAnchor> anchors, const PathPolicy& policy, CryptoPort& crypto,
                     PathReport& report) {
  PathReport scratch;
  return validate_path(leaf, untrusted, anchors, policy, crypto, report, scratch);
}

Status validate_path(const Certificate& leaf, std::span<const Certificate> untrusted,
                     std::span<const TrustAnchor> anchors, const PathPolicy& policy, CryptoPort& crypto,
                     PathReport& report, PathReport& scratch) {
  // Both record the policy: a candidate judged in scratch is copied whole into report. One reset
  // and one copy instead of two resets and two records (flash).
  reset_in_place(scratch);
  record_policy(scratch, policy);
  report = scratch;
  const bool search = policy.order == ChainOrder::any;
  if (search && !config::kPathSearch) {
    report.error = make_error(Code::unsupported, "path search over unordered certificates is not in this build");
    return report.error;
  }
  if (untrusted.size() > kMaxChain) {
    report.error = make_error(Code::invalid_argument, "more untrusted certificates than kMaxChain");
    return report.error;
  }
  if (anchors.size() > kMaxAnchors) {
    report.error = make_error(Code::invalid_argument, "more trust anchors than kMaxAnchors");
    return report.error;
  }
  for (const TrustAnchor& a : anchors) {
    if (a.kind == AnchorKind::certificate && !parse_certificate(a.certificate, scratch.anchor_certificate).ok()) {
      report.error = make_error(Code::invalid_argument, "a trust anchor certificate does not parse");
      return report.error;
    }
  }

  Context ctx(leaf, untrusted, anchors, policy, crypto, report, scratch);

  bool self_signature_failed = false;  // the backend failed while checking for a self-signature
  Terminal terminal;
  if (self_signed(ctx, self_signature_failed) || self_signature_failed) {
    report.path[0] = &leaf;
    report.path_length = 1;
    terminal = {make_error(Code::cert_leaf_self_signed,
                           "leaf is self-signed (issuer equals subject and its own key verifies it)")};
    if (self_signature_failed)
      terminal = {make_error(Code::crypto_failure, "crypto backend failed while checking for a self-signature")};
    judge(ctx, report, ctx.no_anchor, &terminal);
  } else {
    const Status pinned = pin_pool(ctx);
    if (!pinned.ok()) {
      report.error = pinned.error();
      return report.error;
    }
    if (config::kPathSearch && search) {
      search_any(ctx);
    } else {
      terminal = walk_ordered(ctx);
    }
    if (!ctx.failure.ok()) {
      report.error = ctx.failure.error();
    } else if (!ctx.have_candidate) {
      // No anchor reached: judge the longest partial path and say why it stops.
      if (config::kPathSearch && search) {
        // A cut-off search proves nothing about longer paths, so its bound is reported first.
        if (ctx.done) {
          terminal = {make_error(Code::cert_search_limit, "path building stopped at its search bound")};
        } else if (ctx.depth_limited) {
          terminal = {
              make_error(Code::cert_chain_too_long, "the chain needs more intermediates than the policy allows")};
        }
      }
      judge(ctx, report, ctx.no_anchor, &terminal);
    }
  }
  report.signatures_verified = ctx.signatures;
  return report.error;
}

}  // namespace ft::x509
