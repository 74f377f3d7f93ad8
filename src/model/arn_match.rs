//! Can a policy's resource pattern match an ARN of a given format? Both sides are patterns:
//! the policy side has IAM wildcards (`*`, `?`) and policy variables, the catalog side has
//! `${Placeholders}` such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. The answer is
//! whether some ARN matches both, decided on the six fields separately so that an empty
//! region or account in the format (S3 buckets) must stay empty.

use super::arn;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Lit(char),
    /// Exactly one character.
    One,
    /// Any run of characters, possibly empty.
    Many,
    /// One character of a name inside an ARN field, which is never `:`.
    NameOne,
    /// A run of such characters, possibly empty.
    NameMany,
    /// One character of a bucket name, which is never `/` or `:`.
    BucketOne,
    /// A run of such characters, possibly empty.
    BucketMany,
}

impl Unit {
    fn is_run(self) -> bool {
        matches!(self, Self::Many | Self::NameMany | Self::BucketMany)
    }

    /// The run of the characters `one` takes, for a unit taking one character of a class.
    fn run_of(one: Self) -> Option<Self> {
        match one {
            Self::One => Some(Self::Many),
            Self::NameOne => Some(Self::NameMany),
            Self::BucketOne => Some(Self::BucketMany),
            _ => None,
        }
    }
}

/// Policy side: `*` is any run, `?` one character, `${...}` an unknown value (any run).
fn policy_units(s: &str) -> Vec<Unit> {
    let mut out = Vec::with_capacity(s.len());
    push_policy_units(s, &mut out);
    out
}

/// [`policy_units`], appended to `out`.
fn push_policy_units(s: &str, out: &mut Vec<Unit>) {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '$'
            && rest.as_bytes().get(1) == Some(&b'{')
            && let Some(end) = rest.find('}')
        {
            out.push(Unit::Many);
            rest = &rest[end + 1..];
            continue;
        }
        out.push(match c {
            '*' => Unit::Many,
            '?' => Unit::One,
            c => Unit::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
}

/// Format side: `${Name}` is a non-empty value. Inside the format it holds no `:` (the next
/// literal is usually one), though it may hold `/` (log group names such as
/// `/aws/sagemaker/TrainingJobs`); at the end anything goes (`${ObjectName}`,
/// `${RoleNameWithPath}`). Bucket names never hold `/`: that tells a bucket ARN from an
/// object ARN.
fn format_units(s: &str) -> Vec<Unit> {
    // A unit a character at most, a placeholder (three characters at least) two.
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(end) = rest.strip_prefix("${").and_then(|_| rest.find('}')) {
            let name = &rest[2..end];
            rest = &rest[end + 1..];
            if name.ends_with("BucketName") {
                out.extend([Unit::BucketOne, Unit::BucketMany]);
            } else if rest.is_empty() {
                out.extend([Unit::One, Unit::Many]);
            } else {
                out.extend([Unit::NameOne, Unit::NameMany]);
            }
            continue;
        }
        out.push(Unit::Lit(c));
        rest = &rest[c.len_utf8()..];
    }
    // Compiled formats are kept for the run: no room left over.
    out.shrink_to_fit();
    out
}

/// Is there a string both unit sequences accept? A search over pairs of positions.
fn intersects(mut a: &[Unit], mut b: &[Unit]) -> bool {
    // Literal characters at both starts (and both ends) sit at the same place in any string
    // both accept, so they must agree: most pairs of different resource types differ in
    // their first letters, and the rest leaves less to search.
    while let ([Unit::Lit(x), ra @ ..], [Unit::Lit(y), rb @ ..]) = (a, b) {
        if x != y {
            return false;
        }
        (a, b) = (ra, rb);
    }
    while let ([ra @ .., Unit::Lit(x)], [rb @ .., Unit::Lit(y)]) = (a, b) {
        if x != y {
            return false;
        }
        (a, b) = (ra, rb);
    }
    // The common shapes first: `*` against anything, and literal text on both sides.
    if a == [Unit::Many] || b == [Unit::Many] {
        return true;
    }
    if let Some(answer) = against_one_value(a, b) {
        return answer;
    }
    let literal = |u: &[Unit]| u.iter().all(|x| matches!(x, Unit::Lit(_)));
    if literal(a) && literal(b) {
        return a == b;
    }
    if let Some(answer) = intersects_by_bits(a, b) {
        return answer;
    }
    // The search buffers are reused: this runs for every (resource, format, field).
    type Buffers = (Vec<bool>, Vec<(usize, usize)>);
    thread_local! {
        static BUFFERS: std::cell::RefCell<Buffers> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    BUFFERS.with(|buffers| {
        let (seen, stack) = &mut *buffers.borrow_mut();
        search(a, b, seen, stack)
    })
}

/// The shapes of a format's partition, region and account fields, three of the five fields
/// compared for every pair: nothing (`arn:aws:s3:::`), or one placeholder. `None` for others.
fn against_one_value(a: &[Unit], b: &[Unit]) -> Option<bool> {
    match b {
        // Only an empty string: every unit of `a` must be a run, to take nothing.
        [] => Some(a.iter().all(|u| u.is_run())),
        // A placeholder: one character or more, each of them one the placeholder takes. A
        // unit of `a` that is not a literal takes some such character (a letter, say), and a
        // run may take none; so `a` needs a unit, and only literals the placeholder takes.
        [one, many] if Unit::run_of(*one) == Some(*many) => Some(
            !a.is_empty()
                && a.iter()
                    .all(|&u| !matches!(u, Unit::Lit(_)) || compatible(u, *one)),
        ),
        _ => None,
    }
}

/// Can `x` and `y` take the same character?
fn compatible(x: Unit, y: Unit) -> bool {
    match (x, y) {
        (Unit::Lit(p), Unit::Lit(q)) => p == q,
        (Unit::Lit(c), Unit::NameOne | Unit::NameMany)
        | (Unit::NameOne | Unit::NameMany, Unit::Lit(c)) => c != ':',
        (Unit::Lit(c), Unit::BucketOne | Unit::BucketMany)
        | (Unit::BucketOne | Unit::BucketMany, Unit::Lit(c)) => c != ':' && c != '/',
        _ => true,
    }
}

/// [`search`]'s answer, found by running `b` as an automaton over `a` ([`run`]), its masks
/// made on the spot. `None` when `b` has more units than a word has bits.
fn intersects_by_bits(a: &[Unit], b: &[Unit]) -> Option<bool> {
    let masks = Masks::new(b)?;
    Some(run(&masks.shape, a, |x| masks.takes(x, b)))
}

/// How many classes [`CLASS`] sorts characters into.
const CLASSES: usize = 72;

/// The class of each ASCII character in [`Masks`] and [`Automaton`]: its own for the
/// letters, digits and punctuation that ARNs hold, 0 for the rest (found the slow way).
static CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let named = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/:_.@+=,";
    let mut k = 0;
    while k < named.len() {
        table[named[k] as usize] = (k + 1) as u8;
        k += 1;
    }
    table
};

fn class_of(c: char) -> usize {
    if c.is_ascii() {
        usize::from(CLASS[c as usize])
    } else {
        0
    }
}

/// What [`run`] needs of `b` besides which units take each unit of `a`.
struct Shape {
    len: u32,
    runs: u64,
    /// The most runs in a row: a state moves over that many, taking nothing, at most.
    longest: u32,
    every: u64,
}

/// The masks of `b` (fewer than 64 units) made in one pass: which units take any character,
/// any but `:`, any but `:` and `/`, and a character of each class literally.
struct Masks {
    shape: Shape,
    any: u64,
    name: u64,
    bucket: u64,
    literal: [u64; CLASSES],
}

impl Masks {
    fn new(b: &[Unit]) -> Option<Self> {
        if b.len() >= 64 {
            return None;
        }
        let (mut runs, mut chain, mut longest) = (0u64, 0, 0);
        let (mut any, mut name, mut bucket) = (0u64, 0u64, 0u64);
        let mut literal = [0u64; CLASSES];
        for (j, &u) in b.iter().enumerate() {
            let bit = 1 << j;
            if u.is_run() {
                runs |= bit;
                chain += 1;
                longest = longest.max(chain);
            } else {
                chain = 0;
            }
            match u {
                Unit::One | Unit::Many => any |= bit,
                Unit::NameOne | Unit::NameMany => name |= bit,
                Unit::BucketOne | Unit::BucketMany => bucket |= bit,
                Unit::Lit(c) => literal[class_of(c)] |= bit,
            }
        }
        let shape = Shape {
            len: b.len() as u32,
            runs,
            longest,
            every: (1u64 << b.len()) - 1,
        };
        Some(Self {
            shape,
            any,
            name,
            bucket,
            literal,
        })
    }

    /// The units of `b` that can take one unit `x` of `a` (as `compatible` says): only a
    /// literal of `b` can refuse a unit of `a` that is not itself a literal.
    fn takes(&self, x: Unit, b: &[Unit]) -> u64 {
        let every = self.shape.every;
        let colon = self.literal[class_of(':')];
        match x {
            Unit::Lit(c) => match class_of(c) {
                0 => compatible_units(x, b),
                class => {
                    let mut m = self.any | self.literal[class];
                    if c != ':' {
                        m |= self.name;
                        if c != '/' {
                            m |= self.bucket;
                        }
                    }
                    m
                }
            },
            Unit::One | Unit::Many => every,
            Unit::NameOne | Unit::NameMany => every & !colon,
            Unit::BucketOne | Unit::BucketMany => every & !colon & !self.literal[class_of('/')],
        }
    }
}

/// A catalog format compared whole with many policy resources: what [`Masks::takes`] answers
/// for every unit a policy resource can hold, worked out once. Kept small, since every
/// thread keeps one for each format it compared whole (some 600): a literal's answer is
/// found through its class's slot, and classes the format holds no literal of share the
/// slots of their kind (any character, `:`, `/`).
struct Automaton {
    shape: Shape,
    /// For each class of [`CLASS`], its answer's place in `takes`.
    slot: [u8; CLASSES],
    takes: Box<[u64]>,
    /// For `One`, `NameOne` and `BucketOne` (and their runs).
    any: u64,
    name: u64,
    bucket: u64,
}

impl Automaton {
    fn new(b: &[Unit]) -> Option<Self> {
        let masks = Masks::new(b)?;
        let takes_lit = |c: u8| masks.takes(Unit::Lit(char::from(c)), b);
        // The shared slots first, for classes the format holds no literal of (as
        // `Masks::takes` answers for them): any other character, `:`, `/`.
        let (any, name, bucket) = (masks.any, masks.name, masks.bucket);
        let held = masks.literal[1..].iter().filter(|&&m| m != 0).count();
        let mut takes = Vec::with_capacity(3 + held);
        takes.extend([any | name | bucket, any, any | name]);
        let mut slot = [0u8; CLASSES];
        for (c, &class) in CLASS.iter().enumerate() {
            let class = usize::from(class);
            if class == 0 {
                continue;
            }
            let c = c as u8;
            slot[class] = if masks.literal[class] != 0 {
                takes.push(takes_lit(c));
                (takes.len() - 1) as u8
            } else {
                match c {
                    b':' => 1,
                    b'/' => 2,
                    _ => 0,
                }
            };
        }
        Some(Self {
            any: masks.takes(Unit::One, b),
            name: masks.takes(Unit::NameOne, b),
            bucket: masks.takes(Unit::BucketOne, b),
            shape: masks.shape,
            slot,
            takes: takes.into_boxed_slice(),
        })
    }

    /// [`intersects`] of `a` with `b`, the units this was built from.
    fn intersects(&self, a: &[Unit], b: &[Unit]) -> bool {
        run(&self.shape, a, |x| match x {
            Unit::Lit(c) => match class_of(c) {
                0 => compatible_units(x, b),
                class => self.takes[usize::from(self.slot[class])],
            },
            Unit::One | Unit::Many => self.any,
            Unit::NameOne | Unit::NameMany => self.name,
            Unit::BucketOne | Unit::BucketMany => self.bucket,
        })
    }
}

/// The units of `b` that can take `x`, compared one by one: for a literal of class 0, which
/// holds several characters (and every character outside ASCII).
fn compatible_units(x: Unit, b: &[Unit]) -> u64 {
    b.iter()
        .enumerate()
        .filter(|&(_, &y)| compatible(x, y))
        .fold(0, |m, (j, _)| m | 1 << j)
}

/// Runs `b` (described by `shape`, and by `takes`: which of its units can take a unit of
/// `a`) as an automaton over `a`: bit `j` of the state says that what `a` has consumed so far
/// can be matched by `b[..j]`. Each unit of `a` moves every state at once with a few word
/// operations, where [`search`] visits pairs one by one (some thousands of instructions for a
/// field of forty characters).
fn run(shape: &Shape, a: &[Unit], takes: impl Fn(Unit) -> u64) -> bool {
    let (runs, every) = (shape.runs, shape.every);
    // A run of `b` may take nothing: a state before one is also a state after it.
    let skip_runs = |mut s: u64| {
        if shape.longest <= 1 {
            return s | ((s & runs) << 1);
        }
        for _ in 0..shape.longest {
            s |= (s & runs) << 1;
        }
        s
    };
    // One character of `a` taken by the units in `m`: a single unit moves on, a run stays.
    let step = |s: u64, m: u64| ((s & !runs & m) << 1) | (s & runs & m);
    let accept = 1u64 << shape.len;
    let mut state = skip_runs(1);
    for &x in a {
        let m = takes(x);
        state = if x.is_run() && m == every {
            // A run every unit can take (the policy side's `*`): any later state, at once.
            // Hostile text alternating `*` and letters must not cost a loop per unit.
            let first = state & state.wrapping_neg();
            state | !(first - 1) & (every | accept)
        } else if x.is_run() {
            // Any number of characters, none included.
            let mut s = state;
            loop {
                let next = skip_runs(s | step(s, m));
                if next == s {
                    break s;
                }
                s = next;
            }
        } else {
            skip_runs(step(state, m))
        };
        if state == 0 {
            return false;
        }
    }
    state & accept != 0
}

fn search(a: &[Unit], b: &[Unit], seen: &mut Vec<bool>, stack: &mut Vec<(usize, usize)>) -> bool {
    let width = b.len() + 1;
    seen.clear();
    seen.resize((a.len() + 1) * width, false);
    stack.clear();
    stack.push((0, 0));
    while let Some((i, j)) = stack.pop() {
        if std::mem::replace(&mut seen[i * width + j], true) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        let ua = a.get(i).copied();
        let ub = b.get(j).copied();
        if ua.is_some_and(Unit::is_run) {
            stack.push((i + 1, j));
        }
        if ub.is_some_and(Unit::is_run) {
            stack.push((i, j + 1));
        }
        let (Some(x), Some(y)) = (ua, ub) else {
            continue;
        };
        // Two runs consuming one character lead back to the same pair: nothing new.
        if compatible(x, y) && !(x.is_run() && y.is_run()) {
            let ni = if x.is_run() { i } else { i + 1 };
            let nj = if y.is_run() { j } else { j + 1 };
            stack.push((ni, nj));
        }
    }
    false
}

/// A policy resource compiled once, to be tried against many ARN formats.
pub struct ResourcePattern<'r> {
    everything: bool,
    /// The value as one pattern; compiled on first use, since it is compared only when either
    /// side cannot be split into fields, which formats nearly always can.
    whole: std::cell::OnceCell<Vec<Unit>>,
    /// The five fields, unless the value has fewer than six or a field ending in `*` may
    /// stretch over the colons after it; then only the whole string can be compared. One
    /// list, field after field, and where each starts and the last ends: one allocation,
    /// where a list per field took five for every Resource value compared.
    fields: Option<(Vec<Unit>, [usize; 6])>,
    /// Borrowed: compiled patterns live no longer than the statement they come from.
    resource: &'r str,
}

impl<'r> ResourcePattern<'r> {
    pub fn new(resource: &'r str) -> Self {
        let everything = arn::matches_everything(resource);
        let fields = arn::split(resource).and_then(|r| {
            let stretching = [r.partition, r.service, r.region, r.account]
                .iter()
                .any(|f| f.ends_with('*'));
            (!stretching && !everything).then(|| {
                let mut units = Vec::with_capacity(resource.len());
                let mut bounds = [0; 6];
                let fields = [r.partition, r.service, r.region, r.account, r.resource];
                for (k, field) in fields.into_iter().enumerate() {
                    push_policy_units(field, &mut units);
                    bounds[k + 1] = units.len();
                }
                (units, bounds)
            })
        });
        Self {
            everything,
            whole: std::cell::OnceCell::new(),
            fields,
            resource,
        }
    }

    pub fn may_match(&self, format: &FormatPattern) -> bool {
        if self.everything {
            return true;
        }
        match (&self.fields, &format.fields) {
            (Some((units, at)), Some(f)) => f
                .iter()
                .enumerate()
                .all(|(k, q)| intersects(&units[at[k]..at[k + 1]], q)),
            _ => {
                let whole = self.whole.get_or_init(|| policy_units(self.resource));
                match format.automaton() {
                    Some(automaton) => automaton.intersects(whole, &format.whole),
                    None => intersects(whole, &format.whole),
                }
            }
        }
    }
}

/// A catalog ARN format compiled once.
pub struct FormatPattern {
    whole: Vec<Unit>,
    fields: Option<[Vec<Unit>; 5]>,
    /// `whole` as an automaton, made the first time a policy resource is compared with the
    /// whole format (one whose region or account ends in `*`, as `arn:aws:ec2:*:*:instance/*`
    /// does, may stretch over the colons after it): most comparisons of a run are of this
    /// kind, and the masks cost as much to make as to run. `None` inside for a format of 64
    /// units or more.
    automaton: std::cell::OnceCell<Option<Box<Automaton>>>,
}

impl FormatPattern {
    pub fn new(format: &str) -> Self {
        Self {
            whole: format_units(format),
            fields: arn::split(format).map(|f| {
                [f.partition, f.service, f.region, f.account, f.resource].map(format_units)
            }),
            automaton: std::cell::OnceCell::new(),
        }
    }

    fn automaton(&self) -> Option<&Automaton> {
        self.automaton
            .get_or_init(|| Automaton::new(&self.whole).map(Box::new))
            .as_deref()
    }
}

/// Could the policy resource pattern `resource` name an ARN of `format`?
pub fn may_match(resource: &str, format: &str) -> bool {
    ResourcePattern::new(resource).may_match(&FormatPattern::new(format))
}

/// Units beyond this (multiplied over both sides) are not searched: the answer is "may
/// match", the safe side for the offline checks, and no hostile value can make them slow.
const MAX_STATES: usize = 1 << 20;

/// Could two policy resource patterns (both with `*`, `?` and `${...}` unknowns) name the same
/// resource? IAM's `*` runs across `:` and `/`, so the whole strings are compared.
pub fn patterns_intersect(a: &str, b: &str) -> bool {
    if arn::matches_everything(a) || arn::matches_everything(b) {
        return true;
    }
    let (ua, ub) = (policy_units(a), policy_units(b));
    if (ua.len() + 1).saturating_mul(ub.len() + 1) > MAX_STATES {
        return true;
    }
    intersects(&ua, &ub)
}

#[cfg(test)]
mod tests {
    use super::may_match;

    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const REPO: &str = "arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}";

    #[test]
    fn matches_like_iam() {
        assert!(may_match("*", OBJECT));
        assert!(may_match("arn:aws:s3:::ml-data/*", OBJECT));
        assert!(!may_match("arn:aws:s3:::ml-data", OBJECT));
        assert!(may_match("arn:aws:s3:::ml-data", BUCKET));
        assert!(!may_match("arn:aws:s3:::ml-data/*", BUCKET));
        assert!(may_match("arn:aws:s3:::ml-*", BUCKET));
        assert!(may_match("arn:aws:ecr:*:111122223333:repository/*", REPO));
        assert!(!may_match(
            "arn:aws:ecr:*:111122223333:repository/*",
            BUCKET
        ));
        assert!(may_match("arn:aws:s3:::home/${aws:userid}/*", OBJECT));
        assert!(may_match("arn:aws:ecr:*", REPO));
        assert!(!may_match("arn:aws:s3:us-east-1::b", BUCKET));
        let stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        assert!(may_match(
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/sagemaker/TrainingJobs:log-stream:*",
            stream
        ));
    }

    fn unit() -> impl proptest::strategy::Strategy<Value = super::Unit> {
        use super::Unit;
        use proptest::prelude::*;
        prop_oneof![
            4 => prop::sample::select(vec!['a', 'b', ':', '/', 'é', '!']).prop_map(Unit::Lit),
            1 => Just(Unit::One),
            1 => Just(Unit::Many),
            1 => Just(Unit::NameOne),
            1 => Just(Unit::NameMany),
            1 => Just(Unit::BucketOne),
            1 => Just(Unit::BucketMany),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The automaton gives the pair search's answer, whatever units either side holds.
        #[test]
        fn bits_answer_as_the_search_does(
            a in proptest::collection::vec(unit(), 0..12),
            b in proptest::collection::vec(unit(), 0..12),
        ) {
            let searched = super::search(&a, &b, &mut Vec::new(), &mut Vec::new());
            proptest::prop_assert_eq!(super::intersects_by_bits(&a, &b), Some(searched));
            let compiled = super::Automaton::new(&b).map(|m| m.intersects(&a, &b));
            proptest::prop_assert_eq!(compiled, Some(searched));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]
        /// The shortcut for an empty field or a lone placeholder gives the search's answer.
        #[test]
        fn one_value_answers_as_the_search_does(
            a in proptest::collection::vec(unit(), 0..8),
            b in proptest::sample::select(vec![
                vec![],
                vec![super::Unit::One, super::Unit::Many],
                vec![super::Unit::NameOne, super::Unit::NameMany],
                vec![super::Unit::BucketOne, super::Unit::BucketMany],
            ]),
        ) {
            let searched = super::search(&a, &b, &mut Vec::new(), &mut Vec::new());
            proptest::prop_assert_eq!(super::against_one_value(&a, &b), Some(searched));
        }
    }

    #[test]
    fn long_formats_are_left_to_the_search() {
        use super::Unit;
        let b = vec![Unit::Lit('a'); 64];
        assert_eq!(super::intersects_by_bits(&[Unit::Many], &b), None);
        assert!(super::intersects(&[Unit::Lit('a'), Unit::Many], &b));
        let mut near = vec![Unit::Lit('a'); 63];
        assert_eq!(super::intersects_by_bits(&[Unit::Many], &near), Some(true));
        near.push(Unit::Lit('b'));
        assert!(!super::intersects(
            &[Unit::Lit('a'), Unit::Many, Unit::Lit('a')],
            &near
        ));
    }

    #[test]
    fn policy_patterns_intersect() {
        use super::patterns_intersect;
        assert!(patterns_intersect(
            "arn:aws:s3:::ml-*",
            "arn:aws:s3:::*-data"
        ));
        assert!(patterns_intersect(
            "arn:aws:s3:::${Bucket}/*",
            "arn:aws:s3:::prod/x"
        ));
        assert!(patterns_intersect("arn:aws:s3:::a?c", "arn:aws:s3:::abc"));
        assert!(!patterns_intersect(
            "arn:aws:s3:::ml-*",
            "arn:aws:s3:::prod-data"
        ));
        assert!(!patterns_intersect("arn:aws:s3:::a?c", "arn:aws:s3:::ac"));
        let long = "?".repeat(3000);
        assert!(
            patterns_intersect(&long, &long),
            "too long to search: may match"
        );
    }
}
