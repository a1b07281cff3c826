//! The split itself, on the page's wasm as wasm-opt leaves it (with its name section).
//!
//! The functions the first load runs (named in `www/first-load.txt`) stay in the first module.
//! Every other function moves to the lazy module. A moved function that the first module still
//! refers to (a call, a table slot, an export) leaves behind a stub with its index: the stub asks
//! JavaScript to load the lazy module if it is not loaded yet, then calls the moved function
//! through a table slot that the lazy module's element segment fills in when it is instantiated.
//! The lazy module imports the first one's memory, tables and globals, and calls the functions
//! that stayed through exports of the first module; calls between moved functions stay direct.

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use walrus::ir::Value;
use walrus::{
    ConstExpr, ElementItems, ElementKind, ExportItem, FunctionBuilder, FunctionId, FunctionKind, GlobalKind,
    ImportKind, ImportedFunction, InstrSeqBuilder, LocalId, Module, ModuleConfig, RefType, ValType,
};

/// The import module and names the lazy part of the page speaks through.
pub const LAZY: &str = "warren_lazy";
/// The first module's export that says the lazy module is in (an i32 global, 0 or 1).
pub const LOADED: &str = "__warren_lazy_loaded";

/// A function's name as a profile names it: the symbol without its hash (`::h0123…`) and
/// without the number LLVM appends to a local copy (`….1710`), which change from build to build;
/// closures and generic copies share a name and stay or go together.
pub fn key(name: &str) -> &str {
    let name = match name.rfind('.') {
        Some(i) if i + 1 < name.len() && name[i + 1..].bytes().all(|b| b.is_ascii_digit()) => &name[..i],
        _ => name,
    };
    match name.rfind("::h") {
        Some(i) if name.len() - i == 19 && name[i + 3..].bytes().all(|b| b.is_ascii_hexdigit()) => &name[..i],
        _ => name,
    }
}

fn parse(bytes: &[u8]) -> Result<Module> {
    // Names are read (the profile names functions) but not written: the page does not ship them.
    let mut config = ModuleConfig::new();
    config.generate_name_section(false).generate_producers_section(false);
    config.parse(bytes).context("reading the page's wasm")
}

fn emit(m: &mut Module) -> Vec<u8> {
    m.emit_wasm()
}

/// Gives `f` a new body made by `build`, which gets the arguments' locals.
fn replace_body(m: &mut Module, f: FunctionId, build: impl FnOnce(&mut InstrSeqBuilder, &[LocalId])) {
    let ty = m.funcs.get(f).ty();
    let (params, results) = {
        let t = m.types.get(ty);
        (t.params().to_vec(), t.results().to_vec())
    };
    let args: Vec<LocalId> = params.iter().map(|p| m.locals.add(*p)).collect();
    let mut b = FunctionBuilder::new(&mut m.types, &params, &results);
    build(&mut b.func_body(), &args);
    m.funcs.get_mut(f).kind = FunctionKind::Local(b.local_func(args));
}

/// The module's one table of functions (Rust's indirect calls go through it).
fn funcref_table(m: &Module) -> Result<walrus::TableId> {
    let mut tables = m.tables.iter().filter(|t| t.element_ty == RefType::FUNCREF);
    match (tables.next(), tables.next()) {
        (Some(t), None) => Ok(t.id()),
        _ => bail!("the page's wasm should have one table of functions"),
    }
}

fn live_funcs(m: &Module) -> BTreeSet<usize> {
    m.funcs.iter().map(|f| f.id().index()).collect()
}

/// The two modules, and what was moved.
pub struct Split {
    pub first: Vec<u8>,
    pub lazy: Vec<u8>,
    /// Functions moved to the lazy module, and how many of them left a stub.
    pub moved: usize,
    pub stubs: usize,
    /// Each stub's table slot, and the name of the function it stands for.
    pub names: BTreeMap<u64, String>,
}

/// Functions that stay whatever the profile says: drop glue, small and reached by any new path
/// that drops a value of a type the first load had not dropped yet (a change to the engine or the
/// page would otherwise call into the lazy part as the page opens, until the profile is written
/// anew). The rest moves unless the profile names it.
const ALWAYS_FIRST: &[&str] = &["core::ptr::drop_in_place<"];

/// Whether the function named `name` stays in the first module.
fn stays(name: &str, first_load: &HashSet<String>) -> bool {
    let k = key(name);
    first_load.contains(k) || ALWAYS_FIRST.iter().any(|p| k.starts_with(p))
}

/// Splits `bytes`: the functions whose [`key`] is in `first_load` stay (and [`ALWAYS_FIRST`]),
/// the rest move.
pub fn split(bytes: &[u8], first_load: &HashSet<String>) -> Result<Split> {
    let m = parse(bytes)?;
    let moved: BTreeSet<usize> = m
        .funcs
        .iter_local()
        .filter(|(id, _)| m.funcs.get(*id).name.as_deref().is_some_and(|n| !stays(n, first_load)))
        .map(|(id, _)| id.index())
        .collect();
    if moved.is_empty() {
        bail!("nothing to move: every function is named in the first-load profile");
    }

    // Which moved functions the first module still refers to: with every moved body gone, the
    // ones that survive a collection of unreferenced items.
    let stubbed: Vec<usize> = {
        let mut scratch = parse(bytes)?;
        let ids: Vec<FunctionId> = scratch
            .funcs
            .iter_local()
            .map(|(id, _)| id)
            .filter(|id| moved.contains(&id.index()))
            .collect();
        for id in ids {
            replace_body(&mut scratch, id, |b, _| {
                b.unreachable();
            });
        }
        walrus::passes::gc::run(&mut scratch);
        live_funcs(&scratch).intersection(&moved).copied().collect()
    };
    let slot_base = {
        let t = funcref_table(&m)?;
        m.tables.get(t).initial
    };
    let slots: BTreeMap<usize, u64> = stubbed
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, slot_base + i as u64))
        .collect();

    let (lazy, wanted) = lazy_module(bytes, &moved, &slots, slot_base)?;
    let first = first_module(bytes, &slots, &wanted)?;
    let names = slots
        .iter()
        .map(|(f, slot)| {
            (
                *slot,
                key(m
                    .funcs
                    .iter()
                    .find(|x| x.id().index() == *f)
                    .and_then(|x| x.name.as_deref())
                    .unwrap_or(""))
                .to_string(),
            )
        })
        .collect();
    Ok(Split {
        first,
        lazy,
        moved: moved.len(),
        stubs: stubbed.len(),
        names,
    })
}

/// The lazy module, and the names it imports from the first one (`f12`, `g0`, `t1`, `m0`).
fn lazy_module(
    bytes: &[u8],
    moved: &BTreeSet<usize>,
    slots: &BTreeMap<usize, u64>,
    slot_base: u64,
) -> Result<(Vec<u8>, BTreeSet<String>)> {
    let mut z = parse(bytes)?;
    let table = funcref_table(&z)?;
    // Memory, tables and globals are the first module's.
    for id in z.data.iter().map(|d| d.id()).collect::<Vec<_>>() {
        z.data.delete(id);
    }
    for id in z.elements.iter().map(|e| e.id()).collect::<Vec<_>>() {
        z.elements.delete(id);
    }
    for mem in z.memories.iter_mut() {
        if mem.import.is_none() {
            let name = format!("m{}", mem.id().index());
            mem.import = Some(z.imports.add(LAZY_FIRST, &name, ImportKind::Memory(mem.id())));
        }
        mem.data_segments.clear();
    }
    for t in z.tables.iter_mut() {
        if t.import.is_none() {
            let name = format!("t{}", t.id().index());
            t.import = Some(z.imports.add(LAZY_FIRST, &name, ImportKind::Table(t.id())));
        }
        t.elem_segments.clear();
        if t.id() == table {
            t.initial = slot_base + slots.len() as u64;
            t.maximum = t.maximum.map(|m| m.max(t.initial));
        }
    }
    let locals: Vec<walrus::GlobalId> = z
        .globals
        .iter()
        .filter(|g| matches!(g.kind, GlobalKind::Local(_)))
        .map(|g| g.id())
        .collect();
    for g in locals {
        let import = z
            .imports
            .add(LAZY_FIRST, &format!("g{}", g.index()), ImportKind::Global(g));
        z.globals.get_mut(g).kind = GlobalKind::Import(import);
    }
    for id in z.exports.iter().map(|e| e.id()).collect::<Vec<_>>() {
        z.exports.delete(id);
    }
    z.start = None;
    // The functions that stay are the first module's.
    let stays: Vec<FunctionId> = z
        .funcs
        .iter_local()
        .map(|(id, _)| id)
        .filter(|id| !moved.contains(&id.index()))
        .collect();
    for id in stays {
        let ty = z.funcs.get(id).ty();
        let import = z
            .imports
            .add(LAZY_FIRST, &format!("f{}", id.index()), ImportKind::Function(id));
        z.funcs.get_mut(id).kind = FunctionKind::Import(ImportedFunction { import, ty });
    }
    // The stubbed functions take their slots.
    let by_index: BTreeMap<usize, FunctionId> = z.funcs.iter().map(|f| (f.id().index(), f.id())).collect();
    let items: Vec<FunctionId> = slots.keys().map(|i| by_index[i]).collect();
    let offset = ConstExpr::Value(Value::I32(slot_base as i32));
    let seg = z
        .elements
        .add(ElementKind::Active { table, offset }, ElementItems::Functions(items));
    z.tables.get_mut(table).elem_segments.insert(seg);
    walrus::passes::gc::run(&mut z);
    let wanted = z
        .imports
        .iter()
        .filter(|i| i.module == LAZY_FIRST)
        .map(|i| i.name.clone())
        .collect();
    Ok((emit(&mut z), wanted))
}

/// The lazy module's name for the first module's exports.
pub const LAZY_FIRST: &str = "first";

/// The first module: stubs for the moved functions it refers to, exports for what the lazy one
/// imports, and everything else of the moved functions gone.
fn first_module(bytes: &[u8], slots: &BTreeMap<usize, u64>, wanted: &BTreeSet<String>) -> Result<Vec<u8>> {
    let mut a = parse(bytes)?;
    let table = funcref_table(&a)?;
    {
        let t = a.tables.get_mut(table);
        t.initial += slots.len() as u64;
        t.maximum = t.maximum.map(|m| m.max(t.initial));
    }
    let loaded = a
        .globals
        .add_local(ValType::I32, true, false, ConstExpr::Value(Value::I32(0)));
    a.exports.add(LOADED, loaded);
    let load_ty = a.types.add(&[ValType::I32], &[]);
    let (load, _) = a.add_import_func(LAZY, "load", load_ty);

    let by_index: BTreeMap<usize, FunctionId> = a.funcs.iter().map(|f| (f.id().index(), f.id())).collect();
    for name in wanted {
        let (kind, index) = name.split_at(1);
        let index: usize = index.parse().with_context(|| format!("lazy import {name}"))?;
        let item: ExportItem = match kind {
            "f" => by_index[&index].into(),
            "g" => a
                .globals
                .iter()
                .find(|g| g.id().index() == index)
                .context("global")?
                .id()
                .into(),
            "t" => a
                .tables
                .iter()
                .find(|t| t.id().index() == index)
                .context("table")?
                .id()
                .into(),
            "m" => a
                .memories
                .iter()
                .find(|m| m.id().index() == index)
                .context("memory")?
                .id()
                .into(),
            _ => bail!("lazy import {name}"),
        };
        a.exports.add(name, item);
    }
    for (index, slot) in slots {
        let f = by_index[index];
        let ty = a.funcs.get(f).ty();
        replace_body(&mut a, f, |b, args| {
            b.block(None, |blk| {
                let id = blk.id();
                blk.global_get(loaded).br_if(id).i32_const(*slot as i32).call(load);
            });
            for arg in args {
                b.local_get(*arg);
            }
            b.i32_const(*slot as i32).call_indirect(ty, table);
        });
    }
    walrus::passes::gc::run(&mut a);
    Ok(emit(&mut a))
}

/// The module whole, without its names.
pub fn without_names(bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(emit(&mut parse(bytes)?))
}

/// The profiling build: each function first tells JavaScript its number (`warren_lazy.mark`);
/// returns the module and each number's [`key`].
pub fn instrument(bytes: &[u8]) -> Result<(Vec<u8>, Vec<String>)> {
    let mut a = parse(bytes)?;
    let mark_ty = a.types.add(&[ValType::I32], &[]);
    let (mark, _) = a.add_import_func(LAZY, "mark", mark_ty);
    let mut names = Vec::new();
    let ids: Vec<FunctionId> = a.funcs.iter_local().map(|(id, _)| id).collect();
    for id in ids {
        let n = names.len() as i32;
        names.push(key(a.funcs.get(id).name.as_deref().unwrap_or("")).to_string());
        let lf = a.funcs.get_mut(id).kind.unwrap_local_mut();
        let mut body = lf.builder_mut().func_body();
        body.instr_at(0, walrus::ir::Call { func: mark });
        body.instr_at(0, walrus::ir::Const { value: Value::I32(n) });
    }
    Ok((emit(&mut a), names))
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::{FunctionBuilder, Module, ModuleConfig};

    #[test]
    fn a_profile_names_functions_without_their_hash() {
        assert_eq!(
            key("warren_engine::broker::Broker::exec::h1d6a8e9b4063bb87"),
            "warren_engine::broker::Broker::exec"
        );
        assert_eq!(
            key("core::ptr::drop_in_place<x::hub>"),
            "core::ptr::drop_in_place<x::hub>"
        );
        assert_eq!(key("f::h12"), "f::h12");
        assert_eq!(
            key("alloc[3ca501edff3f0c7c]::boxed::box_new_uninit.1710"),
            "alloc[3ca501edff3f0c7c]::boxed::box_new_uninit"
        );
        assert_eq!(key("x::y::h0123456789abcdef.12"), "x::y");
    }

    /// main (exported, kept) calls helper (kept) and a (moved); a calls b (moved) and helper;
    /// b sits in the table at slot 1.
    fn sample() -> Vec<u8> {
        let mut m = Module::with_config(ModuleConfig::new());
        let mem = m.memories.add_local(false, false, 1, None, None);
        m.exports.add("memory", mem);
        let table = m.tables.add_local(false, 2, Some(2), RefType::FUNCREF);
        m.exports.add("table", table);
        let func = |m: &mut Module, name: &str, calls: &[FunctionId]| {
            let mut b = FunctionBuilder::new(&mut m.types, &[], &[ValType::I32]);
            b.name(name.to_string());
            let mut body = b.func_body();
            for c in calls {
                body.call(*c).drop();
            }
            body.i32_const(calls.len() as i32);
            b.finish(vec![], &mut m.funcs)
        };
        let helper = func(&mut m, "helper::h0123456789abcdef", &[]);
        let b = func(&mut m, "b", &[]);
        let a = func(&mut m, "a", &[b, helper]);
        let main = func(&mut m, "main", &[helper, a]);
        m.exports.add("main", main);
        let offset = ConstExpr::Value(Value::I32(1));
        let seg = m
            .elements
            .add(ElementKind::Active { table, offset }, ElementItems::Functions(vec![b]));
        m.tables.get_mut(table).elem_segments.insert(seg);
        m.emit_wasm()
    }

    #[test]
    fn moved_functions_leave_stubs_where_the_first_module_refers_to_them() {
        let keep: HashSet<String> = ["main", "helper"].into_iter().map(String::from).collect();
        let s = split(&sample(), &keep).unwrap();
        assert_eq!(
            (s.moved, s.stubs),
            (2, 2),
            "a and b move; main calls a and the table holds b: {:?}",
            s.names
        );
        assert_eq!(
            s.names.values().cloned().collect::<BTreeSet<_>>(),
            BTreeSet::from(["a".into(), "b".into()])
        );

        let first = ModuleConfig::new().parse(&s.first).unwrap();
        let table = first.tables.iter().next().unwrap();
        assert_eq!((table.initial, table.maximum), (4, Some(4)), "two slots for the stubs");
        assert!(first.imports.iter().any(|i| i.module == LAZY && i.name == "load"));
        let exports: BTreeSet<&str> = first.exports.iter().map(|e| e.name.as_str()).collect();
        assert!(exports.contains(LOADED) && exports.contains("main"));

        let lazy = ModuleConfig::new().parse(&s.lazy).unwrap();
        assert_eq!(lazy.funcs.iter_local().count(), 2, "a and b, and nothing else");
        // everything the lazy module takes from the first one, the first one exports
        for i in lazy.imports.iter() {
            assert_eq!(i.module, LAZY_FIRST);
            assert!(exports.contains(i.name.as_str()), "{} is exported", i.name);
        }
        let names: BTreeSet<&str> = lazy.imports.iter().map(|i| &i.name[..1]).collect();
        assert_eq!(
            names,
            BTreeSet::from(["f", "t"]),
            "helper and the table (a and b use no memory)"
        );
        let seg = lazy.elements.iter().next().unwrap();
        match (&seg.kind, &seg.items) {
            (ElementKind::Active { offset, .. }, ElementItems::Functions(f)) => {
                assert!(matches!(offset, ConstExpr::Value(Value::I32(2))));
                assert_eq!(f.len(), 2);
            }
            _ => panic!("the lazy module fills the stubs' slots"),
        }
        // and it does not write the memory the first one set up
        assert_eq!(lazy.data.iter().count(), 0);
    }

    #[test]
    fn the_profiling_build_marks_every_function() {
        let (wasm, names) = instrument(&sample()).unwrap();
        assert_eq!(
            names.iter().map(String::as_str).collect::<BTreeSet<_>>(),
            BTreeSet::from(["helper", "b", "a", "main"])
        );
        let m = ModuleConfig::new().parse(&wasm).unwrap();
        assert!(m.imports.iter().any(|i| i.module == LAZY && i.name == "mark"));
    }
}
