#!/usr/bin/env python3
"""Erlang's `re` on permission-like patterns: the vectors engine/tests/pcre.rs checks
engine/src/node/pcre/ against (RabbitMQ matches permissions with `re:run/3`, and refuses a pattern
with `re:compile/1`'s message and offset).

  scripts/pcre_record.py           run Erlang (escript, from Debian's erlang-base, which
                                   rabbitmq-server installs) on the patterns and write
                                   tests/pcre/re_vectors.json
  scripts/pcre_record.py --check   run Erlang again and fail if it disagrees with the vectors

The patterns are generated from a fixed seed (hand-written ones first): literals, classes, POSIX
names, escapes, groups, look-arounds, options, anchors and quantifiers in random order, so about
40% are refused (PCRE's syntax errors, with their offsets); each line of the file gives a pattern and, for each subject, 1 (match) or 0, or
`E message offset` for a refused pattern.
"""
import json, os, random, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "pcre", "re_vectors.json")

ESCRIPT = r"""#!/usr/bin/env escript
main([File]) ->
    {ok, Bin} = file:read_file(File),
    [NS | Rest] = binary:split(Bin, <<"\n">>, [global]),
    N = binary_to_integer(NS),
    {Subs0, Pats0} = lists:split(N, Rest),
    Subs = [unhex(S) || S <- Subs0],
    lists:foreach(fun(P) ->
        Out = case re:compile(P) of
            {ok, RE} -> [case re:run(S, RE, [{capture, none}]) of match -> $1; nomatch -> $0 end || S <- Subs];
            {error, {M, O}} -> io_lib:format("E ~s ~w", [M, O])
        end,
        io:put_chars([Out, $\n])
    end, [unhex(P) || P <- Pats0, P =/= <<>>]).
unhex(<<"-">>) -> <<>>;
unhex(L) -> binary:decode_hex(L).
"""

HAND = ["", "^$", ".*", "^amq\\.gen.*", "^(foo|bar)$", "a$", "^[a-z]+\\.[0-9]+$", "(?i)^ORDERS",
        "^(?!amq\\.).*", "^user-\\w+$", "\\.", "^a{,3}$", "\\Qa.b\\E", "^x(?#comment)y$", "(?m)^b",
        "(?s)a.b", "^(?>a+)b", "[\\d-]+", "[]a]", "[^]a]", "[a\\]]", "\\x41", "\\101", "\\cA",
        "[\\w.-]+@", "^.{3}$", "(", ")", "\\", "a{99999}", "[z-a]", "(?<=a+)b", "\\1", "a**",
        "x{2,1}", "[[:foo:]]", "(?", "(?z)", "[a-\\d]", "^(a|a)*b", "^é$", "^..$", "\\bq\\b"]
ATOMS = ['a', 'b', '.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '[ab]', '[^a]', '[a-c]', '[\\d.]',
         '[^\\w]', '(a|b)', '(?:ab|a)', '(a|)', 'x', '\\.', '-', '[[:alpha:]]', '[[:^digit:]]',
         '(?i)A', '(?i:b)', '\\bq', 'q\\b', '\\B', '(?=a)', '(?!b)', '(?<=a|bb)', '(?<!b)', '\\A',
         '\\G', '$', '^', '(?m)^', '(?s).', '\\x61', '\\x{62}', '\\141', '\\n', '(?>a|ab)',
         '((a)b)', 'é', '\\xe9', '(?i)É', '[à-ÿ]', ']', '}', '{', '\\Q.\\E', '(?#c)', '|', '(', ')',
         '*', '[', '\\']
QUANTS = [''] * 6 + ['*', '+', '?', '{2}', '{1,2}', '{2,}', '*?', '+?', '*+', '??', '{,2}', '{0}', '{1}']
SUBJECTS = ["", "a", "b", "ab", "aab", "ba", "abc", "q", "a q", "aqb", "x", "ax", "1", "a1", "a-1",
            "a.b", "axb", "a\n", "\nb", "a\nb", "aaa", "é", "É", "A", "B", "xy", "]", "{", "}",
            "a|b", "ab\n", "bbab", "1.2", "qq", "aé", "àÿ", "amq.gen-x", "foo", "bar", "orders.1",
            "ORDERS", "user-bob", "\x01", "a{,3}"]


def patterns(n=1500):
    rng = random.Random(20261124)
    seen, out = set(), []
    for p in HAND:
        if p not in seen:
            seen.add(p); out.append(p)
    while len(out) < n:
        atoms = [rng.choice(ATOMS) for _ in range(rng.randint(1, 5))]
        # look-arounds unquantified: PCRE 8 gives a repeated one meanings Warren does not simulate
        p = ''.join(a + ('' if a.startswith(('(?=', '(?!', '(?<')) else rng.choice(QUANTS)) for a in atoms)
        if p not in seen:
            seen.add(p); out.append(p)
    return out


def erlang(pats):
    h = lambda s: s.encode().hex() or '-'
    with tempfile.TemporaryDirectory() as d:
        script, data = os.path.join(d, "re.escript"), os.path.join(d, "in.txt")
        open(script, "w").write(ESCRIPT)
        with open(data, "w") as f:
            f.write(f"{len(SUBJECTS)}\n" + "".join(h(s) + "\n" for s in SUBJECTS) + "".join(h(p) + "\n" for p in pats))
        out = subprocess.run(["escript", script, data], check=True, capture_output=True, text=True).stdout
    lines = out.split("\n")[:len(pats)]
    assert len(lines) == len(pats), "escript printed a line per pattern"
    return lines


def main():
    pats = patterns()
    got = erlang(pats)
    cases = [[p, r] for p, r in zip(pats, got)]
    if "--check" in sys.argv:
        want = json.load(open(OUT))
        bad = [(p, r, w) for (p, r), (_, w) in zip(cases, want["cases"]) if r != w]
        bad += [("(count)", len(cases), len(want["cases"]))] if len(cases) != len(want["cases"]) else []
        for b in bad[:20]:
            print("pcre: Erlang now says", b)
        print(f"pcre vectors: {len(cases) - len(bad)} same as Erlang's re, {len(bad)} differ")
        sys.exit(1 if bad else 0)
    otp = subprocess.run(["erl", "-noshell", "-eval", 'io:format("OTP ~s", [erlang:system_info(otp_release)]), halt().'],
                         capture_output=True, text=True).stdout.strip()
    with open(OUT, "w") as f:
        f.write('{"recorded_with": %s,\n "subjects": %s,\n "cases": [\n' % (json.dumps(otp), json.dumps(SUBJECTS, ensure_ascii=False)))
        f.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print(f"pcre vectors: {len(pats)} patterns × {len(SUBJECTS)} subjects written to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
