#!/usr/bin/env python3
"""footprint_report.py BUILD_DIR [--enforce-targets] — the footprint of the Cortex-M build.

Reads a built `cortex-m` preset tree (bench/footprint.sh builds it) and prints:
  1. flash (text+rodata+data) and RAM (data+bss) of the verifier core libraries alone, from
     arm-none-eabi-size on the archives' members (all code, used or not), and of the part of them
     the linked bootloader keeps after --gc-sections (from the link map);
  2. the same for the PSA port, the bootloader frame, libc/libgcc and the whole linked image;
  3. the worst-case stack of ft::trust::verify_envelope and of the whole image (reset handler),
     from GCC's per-function frame sizes and call graph (-fstack-usage, -fcallgraph-info=su:
     the .ci files next to every object), with the deepest path;
  4. targets next to the measured values, and the ratio to wolfBoot's CI size limit.

How the stack is computed: the call graph of every object linked into ft_boot.elf, with each
function's static frame size. Functions without a .ci record (newlib, libgcc) are read from the
image's disassembly (push/sub sp in the prologue, bl/b.w calls). Indirect calls are virtual
calls (CryptoPort, PayloadSource): each resolves to the functions of that name in the image's
vtables (the name read from the call's source location; every vtable function when it cannot be
read). Recursion is allowed only where the source documents a depth bound; the bound is
read from the source and a cycle counts bound x (sum of the frames in the cycle) — see
RECURSION_BOUNDS. Any other cycle, or a frame GCC reports as dynamic, is flagged and makes the
analysis fail (exit 1). Frames inside a real PSA implementation are not counted (the image links
stubs), and neither is an exception frame (32 bytes per active interrupt; the bootloader runs
with interrupts unused).

Exit status: 0 report printed; 1 analysis failed (unknown recursion, dynamic stack, heap symbols
in the image, missing files); 2 a target was missed and --enforce-targets was given.
"""

import collections
import os
import re
import subprocess
import sys

KIB = 1024
TARGET_CORE_FLASH = 12 * KIB
TARGET_STACK = 2 * KIB
WOLFBOOT_CI_LIMIT = 18920  # wolfBoot's CI size limit for its ECC256 build: the whole bootloader

CORE_LIBS = ["ft_base", "ft_ports", "ft_cbor", "ft_der", "ft_x509", "ft_cose", "ft_suit", "ft_trust"]
PORT_LIBS = ["ft_port_psa"]
STUB_LIBS = ["ft_psa_stubs"]
ENTRY_VERIFY = "_ZN2ft5trust15verify_envelopeERNS_10CryptoPortESt4spanIKhLj4294967295EERKNS0_7AnchorsERKNS0_6PolicyERKNS_4suit14ProcessOptionsERNS0_9WorkspaceERNS0_7VerdictE"
ENTRY_IMAGE = "ft_reset_handler"
HEAP_SYMBOLS = ["malloc", "free", "calloc", "realloc", "_malloc_r", "_free_r", "_sbrk", "_Znwj", "_ZdlPv", "_ZdlPvj",
                "__cxa_allocate_exception", "__cxa_throw", "__gxx_personality_v0", "_Unwind_Resume"]

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def die(message):
    print(f"footprint: {message}", file=sys.stderr)
    sys.exit(1)


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def read_constant(path, pattern, what):
    """Returns the integer group 1 of pattern in the source file path (a documented bound)."""
    text = open(os.path.join(SOURCE_DIR, path)).read()
    match = re.search(pattern, text)
    if not match:
        die(f"cannot find {what} in {path} (pattern {pattern!r}); update RECURSION_BOUNDS")
    return int(match.group(1))


# Recursion the core is allowed: (function name fragment identifying the cycle, source of the
# bound, how many times the cycle can be entered at most, explanation).
def recursion_bounds():
    # CBOR's well-formedness walk and DER's element check are iterative (explicit bounded stacks):
    # recursion there fails the report.
    suit_depth = read_constant("src/core/suit/suit.cc", r"Processor::run\((?:const )?Bytes&? sequence, int depth\) \{\s*if \(depth > (\d+)\)",
                               "the depth limit of suit Processor::run")
    return [
        ("suit.cc", suit_depth + 2,
         f"SUIT Processor::run: depth 0..{suit_depth} run, depth {suit_depth + 1} returns at once"),
    ]


# ---------------------------------------------------------------------------------------------
# sizes

def section_kind(name):
    for kind in ("text", "rodata", "data", "bss"):
        if name == "." + kind or name.startswith("." + kind + "."):
            return kind
    if name in (".isr_vector", ".ARM.exidx", ".init_array", ".glue_7", ".glue_7t"):
        return "text" if name != ".init_array" else "rodata"
    return None


def archive_sizes(archive):
    """Sums text/rodata/data/bss over the members of archive (arm-none-eabi-size -A)."""
    totals = collections.Counter()
    for line in run("arm-none-eabi-size", "-A", archive).splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            kind = section_kind(parts[0])
            if kind:
                totals[kind] += int(parts[1])
    return totals


def map_contributions(map_path):
    """Returns {input file (archive or object basename): Counter(kind -> bytes)} kept in the link."""
    text = open(map_path).read()
    text = text[text.index("Linker script and memory map"):]
    out = collections.defaultdict(collections.Counter)
    pending = None
    for line in text.splitlines():
        m = re.match(r"^ (\.[^\s]+)\s*$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^ (\.[^\s]+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
        if m:
            section = m.group(1) or pending
            pending = None
            if not section:
                continue
            kind = section_kind(section)
            if kind is None:
                continue
            origin = m.group(4)
            archive = re.match(r"(.*/)?lib([^/]+)\.a\(", origin)
            key = archive.group(2) if archive else os.path.basename(origin)
            out[key][kind] += int(m.group(3), 16)
            if re.search(r"\.str\d", section):
                out[key]["strings"] += int(m.group(3), 16)  # string literals: the error messages
        elif not line.startswith("  "):
            pending = None
    return out


def image_sections(elf):
    sizes = {}
    for line in run("arm-none-eabi-size", "-A", elf).splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def flash(c):
    return c["text"] + c["rodata"] + c["data"]


def ram(c):
    return c["data"] + c["bss"]


# ---------------------------------------------------------------------------------------------
# call graph

class Function:
    def __init__(self, key, name, frame, qualifier, origin):
        self.key, self.name, self.frame, self.qualifier, self.origin = key, name, frame, qualifier, origin
        self.callees = set()


def short_name(name):
    """ft::Status ft::suit::{anonymous}::Processor::run(ft::Bytes, int) [clone .part.0] -> suit::{anon}::Processor::run."""
    name = name.replace("(anonymous namespace)", "{anon}").replace("{anonymous}", "{anon}")
    name = re.sub(r" \[clone [^\]]*\]", "", name)
    name = re.sub(r"\) const$", ")", name)
    if name.endswith(")"):
        depth = 0
        for i in range(len(name) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(name[i], 0)
            if depth == 0:
                name = name[:i]
                break
    depth = 0
    for i in range(len(name) - 1, -1, -1):  # drop the return type: the last space outside <> and ()
        depth += {">": 1, "<": -1, ")": 1, "(": -1}.get(name[i], 0)
        if depth == 0 and name[i] == " ":
            name = name[i + 1:]
            break
    return name[4:] if name.startswith("ft::") else name


def demangle_all(names):
    names = list(names)
    if not names:
        return {}
    out = subprocess.run(["arm-none-eabi-c++filt"], input="\n".join(names), capture_output=True, text=True,
                         check=True).stdout.splitlines()
    return dict(zip(names, out))


def load_callgraph(ci_files):
    functions = {}
    edges = []
    node_re = re.compile(r'^node: \{ title: "([^"]+)" label: "([^"]*)"')
    edge_re = re.compile(r'^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"(?: label: "([^"]*)")?')
    for path in ci_files:
        for line in open(path):
            m = node_re.match(line)
            if m:
                title, label = m.group(1), m.group(2)
                parts = label.split("\\n")
                sized = re.match(r"(\d+) bytes \(([^)]*)\)", parts[-1]) if len(parts) >= 3 else None
                if sized:
                    frame, qualifier = int(sized.group(1)), sized.group(2)
                    old = functions.get(title)
                    if old is None or frame > old.frame:  # inline functions appear in several objects
                        functions[title] = Function(title, parts[0], frame, qualifier, path)
                continue
            m = edge_re.match(line)
            if m:
                target = m.group(2)
                if target == "__indirect_call":
                    target = "__indirect_call:" + (called_method(m.group(3)) or "")
                edges.append((m.group(1), target, m.group(3) or ""))
    return functions, edges


def function_pointer_targets():
    """What a call through a function pointer may reach, by the pointer's name at the call, and the
    call sites that pass one.

    The core has one: der::read_fields_checked calls its FieldCheck `check`, which is the last
    argument of every read_fields_checked call in src/core (read from the source, so a new caller
    is counted without editing this table). Returns ({"check": [function names]}, {"file:line" of
    each call that passes a function, not nullptr})."""
    passed, sites = set(), set()
    call_re = re.compile(r"read_fields_checked\([^;{]*?,\s*(\w+)\s*\)\s*\)?\s*;", re.S)
    for root, _, files in os.walk(os.path.join(SOURCE_DIR, "src", "core")):
        for name in files:
            if name.endswith(".cc") and not name.endswith("_test.cc"):
                path = os.path.join(root, name)
                text = open(path).read()
                for m in call_re.finditer(text):
                    if m.group(1) != "nullptr":
                        passed.add(m.group(1))
                        sites.add(f"{path}:{text.count(chr(10), 0, m.start()) + 1}")
    return {"check": sorted(passed)}, sites


def called_method(location):
    """The member function a virtual call at file:line:column names (x.verify(...), p->read(...)),
    "()" + the name of a plain call there (a call through a function pointer: check(...)), or None."""
    m = re.match(r"(.*):(\d+):(\d+)$", location or "")
    if not m or not os.path.exists(m.group(1)):
        return None
    lines = open(m.group(1)).read().splitlines()
    line_number, column = int(m.group(2)), int(m.group(3))
    if line_number > len(lines):
        return None
    # GCC's column may point into the callee's name or at the object expression (inside a macro
    # argument): take the member call spanning the column, else the first one after it.
    calls = list(re.finditer(r"(?:\.|->)\s*(\w+)\s*\(", lines[line_number - 1]))
    spanning = [c for c in calls if c.start() <= column - 1 < c.end()]
    after = [c for c in calls if c.start() >= column - 1]
    chosen = (spanning or after or [None])[0]
    if chosen:
        return chosen.group(1)
    plain = [c for c in re.finditer(r"(?<![\w.>:])(\w+)\s*\(", lines[line_number - 1]) if c.end() > column - 1]
    return "()" + plain[0].group(1) if plain else None


def disassembly_functions(elf):
    """Frame size and callees of every function in the image, from objdump (for code without .ci).

    The frame is the sum of every stack-pointer decrement in the function (push, stmdb sp!,
    pre-indexed stores to [sp, #-n]!, sub sp): exact for the usual single prologue, an
    over-estimate when several paths push separately."""
    result = {}
    current = None
    for line in run("arm-none-eabi-objdump", "-d", "--no-show-raw-insn", elf).splitlines():
        m = re.match(r"^([0-9a-f]+) <([^>]+)>:$", line)
        if m:
            current = {"frame": 0, "callees": set()}
            result[m.group(2)] = current
            continue
        if current is None:
            continue
        m = re.match(r"^\s*[0-9a-f]+:\s+(\S+)\s*(.*)$", line)
        if not m:
            continue
        op, args = m.group(1), m.group(2)
        if (op.startswith("push") or (op.startswith("stmdb") and args.startswith("sp!"))) and "{" in args:
            count = 0
            for part in args[args.index("{") + 1:args.index("}")].split(","):
                r = re.match(r"\s*r(\d+)-r(\d+)", part)
                count += int(r.group(2)) - int(r.group(1)) + 1 if r else 1
            current["frame"] += 4 * count
        pre_indexed = re.search(r"\[sp, #-(\d+)\]!", args)
        if pre_indexed:
            current["frame"] += int(pre_indexed.group(1))
        decrement = re.match(r"sp, (?:sp, )?#(\d+)", args)
        if op.startswith("sub") and decrement:
            current["frame"] += int(decrement.group(1))
        call = re.match(r"[0-9a-f]+ <([^>+]+)>", args)
        if op in ("bl", "blx", "b.w") and call:
            current["callees"].add(call.group(1))
    return result


def vtable_targets(elf):
    """Every function referenced from a vtable in the image: the possible targets of a virtual call."""
    symbols = {}
    vtables = []
    for line in run("arm-none-eabi-nm", "-S", elf).splitlines():
        parts = line.split()
        if len(parts) == 4:
            address, size, kind, name = int(parts[0], 16), int(parts[1], 16), parts[2], parts[3]
            if kind in "TtWw":
                symbols[address & ~1] = name
            if name.startswith("_ZTV"):
                vtables.append((address, size))
    targets = set()
    for address, size in vtables:
        dump = run("arm-none-eabi-objdump", "-s", f"--start-address={address}", f"--stop-address={address + size}", elf)
        words = []
        for line in dump.splitlines():
            m = re.match(r"^ ([0-9a-f]+) ((?:[0-9a-f]{1,8} ?){1,4})", line)
            if m:
                for word in m.group(2).split():
                    if len(word) == 8:
                        words.append(int.from_bytes(bytes.fromhex(word), "little"))
        for word in words[2:]:  # offset-to-top, typeinfo (null without RTTI), then the functions
            if (word & ~1) in symbols:
                targets.add(symbols[word & ~1])
    return targets


def build_graph(build, elf):
    ci_files = []
    for root, _, files in os.walk(build):
        if "CompilerId" in root or "poison_probe" in root:
            continue
        ci_files += [os.path.join(root, f) for f in files if f.endswith(".ci")]
    if not ci_files:
        die(f"no .ci files under {build}: was it built with -fcallgraph-info=su (cmake/arm-none-eabi.cmake)?")
    functions, edges = load_callgraph(ci_files)
    disassembly = disassembly_functions(elf)
    in_image = set(disassembly)

    by_mangled = collections.defaultdict(list)
    for key in functions:
        by_mangled[key.split(":")[-1]].append(key)

    def resolve(title):
        if title in functions:
            return title
        mangled = title.split(":")[-1]
        if by_mangled.get(mangled):
            return by_mangled[mangled][0]
        if mangled in disassembly:  # libc / libgcc: from the image's code
            if mangled not in functions:
                info = disassembly[mangled]
                fn = Function(mangled, mangled, info["frame"], "from disassembly", elf)
                functions[mangled] = fn
                by_mangled[mangled].append(mangled)
                for callee in info["callees"]:
                    if callee != mangled:
                        fn.callees.add(callee)
            return mangled
        return None

    indirect = sorted(vtable_targets(elf))
    unresolved = set()
    # Cross-check GCC's frame sizes against the code: the disassembly sum is exact for a single
    # prologue and larger otherwise, so a smaller one would mean the .ci files are stale.
    agree, differ, stale = 0, 0, []
    for key, fn in functions.items():
        info = disassembly.get(key.split(":")[-1])
        if info is None:
            continue
        if info["frame"] == fn.frame:
            agree += 1
        elif info["frame"] > fn.frame:
            differ += 1
        else:
            stale.append(fn.name)
    build_graph.cross_check = (agree, differ, stale)

    indirect_names = demangle_all(indirect)

    pointer_targets, checked_sites = function_pointer_targets()
    titles = list(functions)

    def virtual_targets(method):
        """Vtable functions a call to method may reach: those named method, or all when unknown.
        A call through a function pointer ("()name") reaches the functions function_pointer_targets
        lists for that name; an unknown one is treated as a virtual call of unknown name."""
        if method.startswith("()"):
            names = pointer_targets.get(method[2:], [])
            found = [t for t in titles if any(re.search(r"\b" + re.escape(n) + r"\b", functions[t].name) for n in names)]
            if found:
                return found
            method = ""
        named = [t for t in indirect if method and re.search(r"::" + re.escape(method) + r"\(", indirect_names[t])]
        return named or indirect

    sites = collections.defaultdict(set)  # (caller, callee title) -> "file:line" of the calls
    for source, target, location in edges:
        if source in functions:
            functions[source].callees.add(target)
            sites[(source, target)].add(location.rsplit(":", 1)[0])
    # Resolve every callee title; drop calls to functions the image does not contain.
    for key in list(functions):
        fn = functions[key]
        resolved = set()
        for callee in list(fn.callees):
            if callee.startswith("__indirect_call:"):
                method = callee.split(":", 1)[1]
                resolved |= {r for r in (resolve(t) for t in virtual_targets(method)) if r}
                continue
            r = resolve(callee)
            if r:
                resolved.add(r)
            elif callee.split(":")[-1] not in in_image and not callee.startswith("__builtin"):
                unresolved.add(callee)
        fn.callees = resolved
    # Resolve the callees of functions added from the disassembly.
    changed = True
    while changed:
        changed = False
        for key in list(functions):
            fn = functions[key]
            fixed = set()
            for callee in fn.callees:
                r = resolve(callee)
                if r:
                    fixed.add(r)
            if fixed != fn.callees:
                fn.callees = fixed
                changed = True
    names = demangle_all(k.split(":")[-1] for k in functions)
    for key, fn in functions.items():
        fn.name = short_name(names.get(key.split(":")[-1], fn.name))
    without_check(functions, sites, resolve, checked_sites, {r for r in map(resolve, virtual_targets("()check")) if r})
    return functions, indirect, resolve


def without_check(functions, sites, resolve, checked_sites, check_targets):
    """Calls of der::read_fields_checked that pass no FieldCheck (nullptr: der::read_fields, and
    callers into which GCC inlined it) reach a copy of it without the calls through `check`.
    Otherwise the graph closes loops no run can take (read_fields -> check_tbs_row -> parse_spki
    -> read_fields) and counts the TBS checks' frames on every path that reads DER."""
    checked = next((k for k, fn in functions.items() if fn.name == "der::read_fields_checked"), None)
    if checked is None:
        return
    original = functions[checked]
    copy = Function(checked + "#no-check", original.name + " (no FieldCheck)", original.frame, original.qualifier,
                    original.origin)
    copy.callees = original.callees - check_targets
    for key, fn in list(functions.items()):
        if checked not in fn.callees:
            continue
        called_at = set()
        for (source, target), where in sites.items():
            if source == key and resolve(target) == checked:
                called_at |= where
        if not called_at & checked_sites:
            fn.callees = (fn.callees - {checked}) | {copy.key}
    functions[copy.key] = copy


def strongly_connected(functions, roots):
    """Tarjan's algorithm over the functions reachable from roots; returns {key: component id}, components."""
    index, low, on_stack, stack = {}, {}, set(), []
    component_of, components = {}, []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(functions[v].callees)))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, children = work[-1]
            advanced = False
            for w in children:
                if w not in functions:
                    continue
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(functions[w].callees))))
                    advanced = True
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component_of[w] = len(components)
                    members.append(w)
                    if w == node:
                        break
                components.append(members)

    for root in roots:
        if root in functions and root not in index:
            visit(root)
    return component_of, components


def worst_stack(functions, roots):
    """Worst-case stack from each root; returns (costs, path_of, problems, recursion notes)."""
    component_of, components = strongly_connected(functions, roots)
    bounds = recursion_bounds()
    problems, notes = [], []
    cost, best_child = {}, {}
    component_cost = {}

    def recursive(members):
        fn = functions[members[0]]
        return len(members) > 1 or members[0] in fn.callees

    order = range(len(components))  # Tarjan emits components callees-first
    for cid in order:
        members = components[cid]
        exits = 0
        exit_child = None
        for m in members:
            for callee in functions[m].callees:
                if component_of.get(callee) == cid or callee not in functions:
                    continue
                if component_cost[component_of[callee]][0] > exits:
                    exits = component_cost[component_of[callee]][0]
                    exit_child = (m, callee)
        if recursive(members):
            origins = {os.path.basename(functions[m].origin).replace(".ci", "") for m in members}
            bound = next(((b, why) for fragment, b, why in bounds if any(o.startswith(fragment) for o in origins)), None)
            per_level = sum(functions[m].frame for m in members)
            if bound is None:
                problems.append("unbounded recursion: " + ", ".join(functions[m].name for m in members))
                levels, why = 1, "NO DOCUMENTED BOUND"
            else:
                levels, why = bound
            total = levels * per_level + exits
            notes.append((members, levels, per_level, why))
            component_cost[cid] = (total, members, levels, exit_child)
        else:
            m = members[0]
            component_cost[cid] = (functions[m].frame + exits, members, 1, exit_child)
        for m in members:
            fn = functions[m]
            if "dynamic" in fn.qualifier:
                problems.append(f"dynamic stack ({fn.qualifier}): {fn.name}")

    def path_from(root):
        path = []
        cid = component_of[root]
        while cid is not None:
            total, members, levels, exit_child = component_cost[cid]
            path.append((members, levels))
            cid = component_of[exit_child[1]] if exit_child else None
        return path

    def cost_of(key):
        return component_cost[component_of[key]][0]

    results = {}
    for root in roots:
        if root not in component_of:
            die(f"entry point {root} not found in the call graph")
        results[root] = (cost_of(root), path_from(root))
    return results, problems, notes, cost_of, path_from


# ---------------------------------------------------------------------------------------------

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    enforce = "--enforce-targets" in sys.argv
    if len(args) != 1:
        die("usage: footprint_report.py BUILD_DIR [--enforce-targets]")
    build = os.path.abspath(args[0])
    elf = os.path.join(build, "embedded", "ft_boot.elf")
    map_path = os.path.join(build, "embedded", "ft_boot.map")
    for path in (elf, map_path):
        if not os.path.exists(path):
            die(f"{path} missing: build the cortex-m preset first")

    archives = {}
    for root, _, files in os.walk(os.path.join(build, "src")):
        for f in files:
            if f.endswith(".a"):
                archives[f[3:-2]] = os.path.join(root, f)
    for root, _, files in os.walk(os.path.join(build, "embedded")):
        for f in files:
            if f.endswith(".a"):
                archives[f[3:-2]] = os.path.join(root, f)
    missing = [lib for lib in CORE_LIBS + PORT_LIBS if lib not in archives]
    if missing:
        die("archives missing: " + ", ".join(missing))

    core_archive = collections.Counter()
    per_lib_archive = {}
    for lib in CORE_LIBS:
        per_lib_archive[lib] = archive_sizes(archives[lib])
        core_archive += per_lib_archive[lib]
    port_archive = archive_sizes(archives["ft_port_psa"])

    linked = map_contributions(map_path)
    core_linked = collections.Counter()
    for lib in CORE_LIBS:
        core_linked += linked.get(lib, collections.Counter())
    port_linked = linked.get("ft_port_psa", collections.Counter())
    stubs_linked = linked.get("ft_psa_stubs", collections.Counter())
    runtime_libs = collections.Counter()
    for key, counts in linked.items():
        if key in ("c_nano", "c", "gcc", "m", "stdc++_nano", "supc++_nano", "nosys"):
            runtime_libs += counts
    frame_linked = collections.Counter()
    for key, counts in linked.items():
        if key.endswith(".obj"):
            frame_linked += counts

    sections = image_sections(elf)
    image = collections.Counter()
    image["text"] = sum(sections.get(s, 0) for s in (".isr_vector", ".text", ".ARM.exidx"))
    image["rodata"] = sum(sections.get(s, 0) for s in (".rodata", ".init_array"))
    image["data"] = sections.get(".data", 0)
    image["bss"] = sections.get(".bss", 0)
    stack_reserved = sections.get(".stack", 0)

    # heap: the poison makes any use a link error; double-check the image has none of the symbols
    defined = set(line.split()[-1] for line in run("arm-none-eabi-nm", elf).splitlines() if line.split())
    heap_found = sorted(s for s in HEAP_SYMBOLS if s in defined)

    functions, indirect, resolve = build_graph(build, elf)
    results, problems, notes, cost_of, path_from = worst_stack(functions, [ENTRY_VERIFY, ENTRY_IMAGE])
    verify_stack, verify_path = results[ENTRY_VERIFY]
    image_stack, _ = results[ENTRY_IMAGE]
    if build_graph.cross_check[2]:
        problems.append("frames smaller in the image than in the .su/.ci files (stale build?): "
                        + ", ".join(build_graph.cross_check[2][:5]))
    if heap_found:
        problems.append("heap or exception symbols in the image: " + ", ".join(heap_found))
    if stack_reserved < image_stack:
        problems.append(f"cortex-m4.ld reserves {stack_reserved} bytes of stack, the image needs up to {image_stack}: "
                        "raise FT_BOOT_STACK_SIZE (embedded/CMakeLists.txt) or shrink the core's frames")

    # ------------------------------------------------------------------ report
    print("FieldTrust Cortex-M footprint (generic Cortex-M4, arm-none-eabi-gcc "
          f"{run('arm-none-eabi-gcc', '-dumpversion').strip()}, -Os -fno-move-loop-invariants -fno-tree-dominator-opts, Thumb-2, soft-float)")
    print("Crypto primitives (SHA-2, ECDSA) are NOT included: the image links weak PSA stubs; a product")
    print("adds its PSA implementation (TF-M / Mbed TLS / secure element).")
    print()
    print(f"{'part':<46} {'text':>7} {'rodata':>7} {'data':>6} {'bss':>7} {'flash':>7} {'RAM':>7}")

    def row(label, c):
        print(f"{label:<46} {c['text']:>7} {c['rodata']:>7} {c['data']:>6} {c['bss']:>7} {flash(c):>7} {ram(c):>7}")

    row("core libraries, archives (all members)", core_archive)
    for lib in CORE_LIBS:
        row(f"  {lib}", per_lib_archive[lib])
    row("core libraries, kept in the linked image", core_linked)
    for lib in CORE_LIBS:
        row(f"  {lib}", linked.get(lib, collections.Counter()))
    print(f"{'  of which string literals (error messages)':<46} {'':>7} {core_linked['strings']:>7}")
    row("PSA port (ft_port_psa), archive", port_archive)
    row("PSA port, kept in the image", port_linked)
    row("PSA stubs (stand-in for the crypto library)", stubs_linked)
    row("bootloader frame (embedded/, bss = state)", frame_linked)
    row("libc_nano + libgcc", runtime_libs)
    row("linked image ft_boot.elf", image)
    print(f"{'  + main stack reserved by cortex-m4.ld':<46} {'':>7} {'':>7} {'':>6} {stack_reserved:>7} {'':>7} "
          f"{stack_reserved:>7}")
    print()

    print("Worst-case stack (static frames from -fstack-usage, call graph from -fcallgraph-info=su):")
    print(f"  ft::trust::verify_envelope: {verify_stack} bytes; whole image from the reset handler: {image_stack} bytes")
    print(f"  virtual calls resolve to {len(indirect)} vtable functions: "
          + ", ".join(sorted({functions[k].name for k in (resolve(t) for t in indirect) if k})))
    agree, differ, stale = build_graph.cross_check
    print(f"  GCC frame sizes vs the image's disassembly: {agree} equal, {differ} larger in the code "
          f"(several push paths), {len(stale)} smaller")
    print("  deepest path of verify_envelope (frame bytes; xN = recursion levels at the documented bound):")
    running = 0
    for members, levels in verify_path:
        frame = sum(functions[m].frame for m in members)
        running += frame * levels
        names = " + ".join(functions[m].name for m in members)
        suffix = f" x{levels}" if levels > 1 or len(members) > 1 else ""
        print(f"    {frame:>5}{suffix:<5} {running:>6}  {names}")
    print("  worst case through each call verify_envelope makes (its own frame included):")
    entry = functions[ENTRY_VERIFY]
    through = sorted(((entry.frame + cost_of(c), c) for c in entry.callees if c != ENTRY_VERIFY), reverse=True)
    for total, callee in through[:8]:
        hops = " > ".join(functions[members[0]].name + (f" x{levels}" if levels > 1 else "")
                          for members, levels in path_from(callee)[:4])
        print(f"    {total:>6}  {hops}{' > ...' if len(path_from(callee)) > 4 else ''}")
    print("  bounded recursion:")
    for members, levels, per_level, why in notes:
        print(f"    {levels} x {per_level} bytes = {levels * per_level:>5}  {why}")
    print()

    print("Largest stack frames on verify_envelope's paths:")
    reachable = set()
    todo = [resolve(ENTRY_VERIFY)]
    while todo:
        k = todo.pop()
        if k in reachable or k not in functions:
            continue
        reachable.add(k)
        todo += list(functions[k].callees)
    for fn in sorted((functions[k] for k in reachable), key=lambda f: -f.frame)[:10]:
        print(f"  {fn.frame:>6}  {fn.name}")
    print()

    print("Largest functions in the image (flash):")
    sizes = []
    for line in run("arm-none-eabi-nm", "-S", "--size-sort", "-C", elf).splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) == 4 and parts[2] in "TtWw":
            sizes.append((int(parts[1], 16), short_name(parts[3])))
    for size, name in sorted(sizes, reverse=True)[:10]:
        print(f"  {size:>6}  {name}")
    print()

    core_flash = flash(core_linked)
    image_flash = flash(image)
    verdicts = []

    def target_row(what, measured, target, unit="bytes"):
        ok = measured <= target
        verdicts.append(ok)
        print(f"  {what:<44} {measured:>8} {unit:<6} target <= {target:<6} {'ok' if ok else 'MISSED':<7} "
              f"({measured / target:.2f}x target)")

    print("Targets (issue 3):")
    target_row("core flash, kept in the image", core_flash, TARGET_CORE_FLASH)
    print(f"  {'core flash, archives (incl. unused members)':<44} {flash(core_archive):>8} bytes  "
          f"(host-side helpers such as code_description are in here)")
    target_row("worst-case stack of verify_envelope", verify_stack, TARGET_STACK)
    heap_ok = not heap_found
    verdicts.append(heap_ok)
    print(f"  {'heap':<44} {0 if heap_ok else len(heap_found):>8} {'uses':<6} target = 0      "
          f"{'ok' if heap_ok else 'MISSED':<7} (embedded/poison.cc fails the link on any use)")
    print(f"  {'stack reserved vs worst case of the image':<44} {stack_reserved:>8} bytes  "
          f"{'covers' if stack_reserved >= image_stack else 'DOES NOT COVER'} {image_stack} bytes")
    print()
    print(f"For scale: wolfBoot's CI limit is {WOLFBOOT_CI_LIMIT} bytes for its whole ECC256 bootloader, crypto included.")
    print(f"  core kept in the image / wolfBoot limit: {core_flash / WOLFBOOT_CI_LIMIT:.2f}")
    print(f"  linked image (no crypto) / wolfBoot limit: {image_flash / WOLFBOOT_CI_LIMIT:.2f}")

    if problems:
        print()
        for p in problems:
            print(f"PROBLEM: {p}")
        sys.exit(1)
    if enforce and not all(verdicts):
        print()
        print("footprint: a target was missed (--enforce-targets)")
        sys.exit(2)


if __name__ == "__main__":
    main()
