"""Sentence-level relations, the paper's own proposals, and numeric results.

Each relation is found from the words between and around two mentions of one sentence
(or between the paper's own method and a mention). Every rule is named, so a relation in the
graph says which rule stated it. Negations and comparisons that are not claims of
superiority ("unlike X", "X fails to", "compared with X") block ``outperforms``.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..model import DATA_TYPES, PAPER, SYSTEM_TYPES, relation_allowed
from ..names import name_key
from .abbreviations import load_abbreviation_rules
from .doctext import doc_sentences, doc_text, sentences_with, span_text, title_break
from .lexicon import Lexicon, load_lexicon
from .linear import LinearModel
from .mentions import MENTIONS
from .names import NameRules, load_name_rules, names_a_team, size_variant_family
from .rules import confidence, listed, starting_with
from .relation_model import EntityMention, PaperView, proposal_features, relation_features
from .spans import load_model, model_path

for _name in ("kg_proposes", "kg_relations", "kg_results", "kg_type_hints"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

OWN = ("Method", "Model", "Dataset", "Benchmark", "Metric")


#: a sentence rule at least this confident (measured: ontology/rules/rules.jsonl) decides a pair
RULE_FIRST = 0.5
#: relations only the sentence rules state
_RULES_ONLY = frozenset({"outperforms", "trainedOn"})


@dataclass(frozen=True)
class RelationHit:
    head: str  # canonical name or PAPER
    type: str
    tail: str
    sent_start: int  # character offsets of the sentence
    sent_end: int
    confidence: float
    rule: str


@dataclass(frozen=True)
class ResultHit:
    subject: str
    benchmark: str | None
    metric: str | None
    value: str
    number: str
    unit: str | None
    sent_start: int
    sent_end: int
    rule: str


#: the verbs with which authors bring in what they contribute
_CONTRIBUTING_VERBS = r"propose[sd]?|introduce[sd]?|present(?:s|ed)?|develop(?:s|ed)?|devise[sd]?|design(?:s|ed)?"
#: the same verbs as gerunds after a comma, in the authors' voice: "we formulate ... as a framework,
#: proposing X" (not a purpose: "guidance for developing more robust MM-RAG pipelines")
_CONTRIBUTING_GERUNDS = r"(?<=, )(?:proposing|introducing|presenting|developing|devising|designing)"
_PROPOSE = re.compile(starting_with("propose introduce present develop devise design create contribute formulate "
                                    "release build by".split())
                      + r"\b(" + _CONTRIBUTING_VERBS + "|" + _CONTRIBUTING_GERUNDS + r"|create[sd]?|contribute[sd]?|formulate[sd]?|release[sd]?|"
                      r"build|builds|built|"
                      # "we fill this gap by constructing X": the gerund after "by" says what the authors did
                      r"by (?:propos|introduc|present|develop|devis|design|creat|construct|build|releas|collect)ing)\b",
                      re.I)
#: what introduces the parts of the authors' own system (:meth:`RelationExtractor._defined_parts`)
_CONTRIBUTION = re.compile(starting_with("propose introduce present develop devise design establish constructs key "
                                         "consists comprises composed".split())
                           + r"\b(?:" + _CONTRIBUTING_VERBS + r"|establish(?:es|ed)?|constructs|key (?:innovation|idea|"
                           r"modules?|components?|contributions?|techniques?|designs?)|consists? of|comprises|"
                           r"composed of)\b", re.I)
#: what joins two names the authors introduce together ("X and Y", "X, Y")
_COORDINATED = re.compile(r",?\s+(?:and|&)\s+|,\s+")
#: the cues of those that name parts of a system, not the system
_PART_CUE = re.compile(r"key (?:modules?|components?)|consists? of|comprises|composed of", re.I)
#: words after such a cue that show a defined name is used, not contributed ("a pipeline built in
#: JAX and MuJoCo-XLA (MJX)", "we introduce a planner that adopts ...")
_ONLY_USED = re.compile(starting_with("use adopt follow evaluate compare baselines existing prior previous unlike such e.g. "
                                      "including than built based on leverage employ via integrate incorporate "
                                      "exploit".split())
                        + r"\b(?:us(?:e|es|ed|ing)|adopt\w*|follow\w*|evaluat\w*|compar\w*|baselines?|existing|prior|"
                        r"previous|unlike|such as|e\.g\.|including|than|built (?:in|on|with|upon)|based on|"
                        # "identifying reflective regions via the Degree of Linear Polarization (DoLP)"
                        r"on top of|leverag\w*|employ\w*|via|integrat\w*|incorporat\w*|exploit\w*)\b", re.I)
_NAMING = re.compile(starting_with("named called dubbed termed coined which we introduction the our submission".split())
                     + r"\b(named|called|dubbed|termed|coined|which we call|we call|we name|we term|"
                     r"introduction of the|(?:the |our )?submission of|(?:our|the proposed) (?:new |novel )?(?:[\w-]+ ){0,3}"
                     r"(?:method|approach|model|framework|algorithm|architecture|system|agent|policy|strategy|technique|"
                     r"pipeline)(?:,? namely|,)?)"
                     r"\s*[\"“]?\s*$", re.I)
#: a name the present passive says the paper contributes ("X is proposed to ..."); not the
#: past ("X was proposed in [3]") nor a citation ("X is proposed by Smith et al.")
_PROPOSED_AFTER = re.compile(r"\)?\s+(?:is|are)\s+(?:(?:first|then|also|further|hence|thus|therefore|here)\s+)?"
                             r"(?:proposed|introduced|presented|developed|designed)\b(?!\s+(?:by|in)\b)")
#: the authors' new thing named right after: "our novel X", "our new lightweight X", "our novel
#: shallow Channel-Independent Model (X)" (its long form before the short form)
_OUR_NEW_BEFORE = re.compile(r"\bour\s+(?:novel|new)\s+(?:(?:[\w-]+\s+){0,2}|(?:[\w-]+\s+){0,2}(?:[A-Z][\w-]*\s+){1,5}\()$")
#: "this paper describes the X system", "we describe our X model": the authors' system
_DESCRIBES_THE = re.compile(r"\bdescrib(?:es?|ed|ing)\s+(?:the|our)\s+$", re.I)
_SYSTEM_AFTER = re.compile(r"\s+(?:system|model|framework|approach|tool|toolkit|submission|architecture|pipeline)s?\b")
_BLOCKERS = {"that", "which", "who", "to", "using", "use", "uses", "with", "for", "on", "based", "by", "via",
             "from", "in", "of", "over", "than", "and", "or", "where", "when", "while", "as", "into", "upon",
             "like", "such", "including", "between", "extends", "extending", "improves", "improving"}
#: words that show the text before a defined short form is not its long form: the blockers
#: but the prepositions and conjunctions a name may hold ("Dual User and Product Memory Network")
_NOT_IN_LONG_FORMS = _BLOCKERS - {"and", "or", "of", "for", "with", "on", "in", "from", "over"}
#: an indefinite article and describing words right before a name ("we propose a new GAN model")
_INDEFINITE_BEFORE = re.compile(r"\b(?:a|an)\s+((?:[a-z][\w-]*,?\s+){0,3})$")


#: a noun after a name (past its short form), which makes the name a kind of it: "a new GAN model",
#: "a novel Neural Radiance Fields (NeRF) module", "a DiT-based framework"
_NAMES_A_KIND_AFTER = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?(?:-based\b|(?!(?:with|for|that|which|and|or|to|in|on|of|by|as|"
                                 r"is|are|was|were|can|into|from|via|using|has|have|we|achieves?)\b)[a-z][a-z-]+\b)")


def _one_of_a_known_family(gap: str, kind_nouns: Collection[str]) -> bool:
    """Whether the words between a verb of contribution and a name the lexicon knows make the
    name a kind: an indefinite article and describing words, no kind noun (``kind_nouns``: "a
    novel diffusion policy", "a new GAN"; not "a new benchmark ScanNet", which names the benchmark).

    >>> kinds = {"benchmark", "model"}
    >>> _one_of_a_known_family(" a new ", kinds), _one_of_a_known_family(" a large-scale benchmark ", kinds)
    (True, False)
    """
    m = _INDEFINITE_BEFORE.search(gap)
    return m is not None and not any(w.rstrip(",") in kind_nouns for w in m.group(1).split())


#: what makes the proposing verb after it a participle of a noun phrase ("our proposed method",
#: "a recently introduced benchmark"), not the authors' act
_ADJECTIVAL = re.compile(r"\b(?:our(?:\s+(?:recently|newly))?|the|a|an|its|their|newly|(recently|previously))\s+$",
                         re.I)
#: the rest of the participle's noun phrase, then the name in apposition: " open source library – "
_APPOSED_AFTER_PHRASE = re.compile(r"\s*(?:[\w-]+\s+){0,5}[\w-]+\s*(?:,|:|–|—|\s-)\s*")
_WE = re.compile(starting_with(["we", "our", "this"])
                 + r"\b(we|our|this (?:paper|work|study|thesis|article|(?:technical )?report))\b", re.I)
#: a first sentence (the title, when there is one) that says the paper is a survey: "A Survey on
#: X", "X: A Review", "This survey ...", "We review ...", not a problem named with the word
#: ("Product Review Classification", "LLMs for Code Review")
_SURVEY = re.compile(
    r"\b(?:this|our)\s+(?:survey|review|overview|tutorial)\b|\bwe\s+(?:survey|review)\b|\bposition paper\b"
    r"|(?:(?:^|:\s*)(?:(?:a|an)\s+)?(?:(?:comprehensive|systematic|brief|short|critical|literature|structured)\s+){0,2}"
    r"|\b(?:a|an)\s+(?:[\w-]+\s+){0,3}?)(?:survey|review|overview|tutorial)"
    r"(?=\s*$|\s*[:.,;!?)]|\s+(?:of|on|about|for|to|in|and)\b)", re.I)
_NEGATION = re.compile(starting_with("not no fail unlike cannot can't never without".split())
                       + r"\b(not|no|fail(?:s|ed)? to|unlike|cannot|can't|never|without)\b", re.I)
_MODEL_SIGNAL = re.compile(r"\b\d+(?:\.\d+)?\s?[BM][- ]parameters?\b|"
                           # a size of the paper's own model, not of another's it builds on or is
                           # tried with ("Initialized from the Qwen2.5-VL-7B model", "on Qwen3 base
                           # 1.7B and 4B models", "across 7B and 32B model sizes")
                           # (a size listed after one of these is theirs too: "1.7B and 4B")
                           r"(?<![\w.-])(?<!\bon )(?<!\bbase )(?<!\bacross )(?<![BM] and )(?<![BM] or )(?<![BM], )"
                           r"\d+(?:\.\d+)?[BM]\b(?=[^.]*\bmodel)|"
                           # "we release ... the distilled models" (not "... to help evaluate models")
                           r"\brelease[sd]?\b(?:(?!\b(?:to|for)\b)[^.]){0,60}\b(?:models?|weights|checkpoints?)\b|"
                           # "code and (trained / pretrained) models" (typology), not "code and data"
                           r"\bcodes?\s+and\s+(?:[\w-]+\s+){0,2}models?\b|"
                           # "we open-source the model", not "among open-source models"
                           r"(?<!\bamong )(?<!\bover )(?<!\bleading )(?<!\bexisting )(?<!\bother )(?<!\bthan )"
                           r"\bopen-source\b[^.]{0,40}\bmodel\b", re.I)
#: a size in brackets right after a system's name: "Youtu-LLM (1.96B) is pre-trained from scratch"
_BRACKETED_SIZE = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s?[BM]\s*\)")

# Triggers: words between a subject and a tail that state a relation, each a named rule whose
# precision scripts/measure_rules.py measures (ontology/rules/rules.jsonl). Each pattern is
# searched in the text between them; the trigger nearest the tail wins.
_TRIGGERS: list[tuple[str, str, re.Pattern, tuple[str, ...]]] = [
    ("relations.outperforms", "outperforms",
     re.compile(r"\b(outperform\w*|surpass\w*|beat\w*|exceed\w*|better (?:[\w-]+ ){0,2}than|superior to|"
                r"improves? (?:up)?on|advances? over|"
                # a claim of speed is a claim of superiority ("40 times speedup over COLMAP")
                r"faster (?:[\w-]+ ){0,2}than|speed-?ups? over)\b", re.I), SYSTEM_TYPES),
    ("relations.basedOn", "basedOn",
     re.compile(r"\b(builds? (?:up)?on|built (?:up)?on|based on|extends|extending|extension of|on top of|"
                r"initiali[sz]ed (?:from|with)|fine-tuned from|backbone|derived from|variant of|"
                # "Its architecture follows the LLaMA-2 design": the design is taken over
                r"(?:architecture|design) (?:follows|mirrors)(?: that of)?|follows (?:the )?(?:design|architecture) of)\b",
                re.I), SYSTEM_TYPES),
    ("relations.basedOn.combines", "basedOn",
     re.compile(r"\b(combin\w+(?:\s+(?:[^.;]{0,60}?\s)?with)?|generali[sz]\w+)\b", re.I), SYSTEM_TYPES),
    # typology: "inspired by X" is uses, not basedOn
    ("relations.uses.inspired", "uses", re.compile(r"\b(inspired by)\b", re.I), SYSTEM_TYPES),
    ("relations.trainedOn", "trainedOn",
     re.compile(r"\b((?:pre-?)?train\w*|fine-tun\w*|learn\w*|distill\w*)\b[^.;]{0,60}\b(?:on|using|with|from)\b"
                r"[^.;]{0,40}$", re.I), ("Dataset",)),
    ("relations.evaluatedOn", "evaluatedOn",
     re.compile(r"\b(on|in|across|using|of)\b(?:\s+[\w-]+){0,4}\s*\(?\s*$", re.I), DATA_TYPES),
    ("relations.uses", "uses",
     # not after an adverb: "commonly used losses (MSE)", "widely adopted X" describe others' practice
     re.compile(r"\b(?<!ly )(use[sd]?|using|leverag\w*|employ\w*|adopt\w*|utili[sz]\w*|appl(?:y|ies|ied)|"
                # "with", but not where it compares ("on par with X", "compared with X")
                r"fine-tun\w*|(?<!compared )(?<!comparable )(?<!competitive )(?<!par )with|via|through|"
                r"incorporat\w*|integrat\w*|relies on|rely on|powered by|"
                r"equipped with|plugs? into|by)\b", re.I), ("Method", "Model", "Dataset", "Task")),
]
#: a sentence that opens on a gerund ("Serving the X backbone ...", "Fine-tuning X on Y ...")
_GERUND_OPENING = re.compile(r"\s*(?!(?:Bring|String|Spring|King|Thing|Nothing|Something|Everything|During)\b)"
                             r"[A-Z][a-z]*(?:-[a-z]+)*ing\b")
#: a sentence that opens with a stage or part of the system it describes, and what that does
#: with the next name: "Optimisation uses GRPO", "Its decoder relies on ...", "Training is done
#: with ..." (the authors describe their own method; not "Prior work uses ...": see _NOT_OURS)
_STAGE_OPENING = re.compile(r"\s*(?:(?:its|the|our)\s+)?(?P<stage>[A-Za-z][a-z]+(?:-[a-z]+)*)(?:\s+[a-z][a-z-]*){0,2}\s+"
                            r"(?:uses|relies on|employs|adopts|leverages|builds on|follows|mirrors|"
                            r"is (?:trained|optimi[sz]ed|fine-tuned|pre-trained|pretrained|implemented|done|performed) "
                            r"(?:with|using|via|by))\s+(?:(?:a|an|the)\s+)?", re.I)
#: the first words of a sentence about others' work, not the authors' own method
_NOT_OURS = frozenset("""prior existing previous most many recent current such these those other traditional
conventional standard common popular some several earlier classical typical each every another this that
it they he she one""".split())
#: the authors evaluating systems: "we evaluate proprietary LLMs including X, Y", "we benchmark X"
_WE_EVALUATE = re.compile(r"\bwe\s+(?:[a-z]+\s+){0,2}?(?:evaluate|benchmark|test|assess)\b", re.I)
#: a sentence that opens on what the system after its comma is built on: "Built upon Llama 2, X
#: adds ...", "Building on DINOv2 and SAM, our method ...", "Based on the Mamba architecture, we ..."
_BUILT_ON_OPENING = re.compile(r"\s*(?:(?:Built|Building|Based)\s+(?:up)?on)\s+", re.I)
#: the authors or their system speaking right after that comma
_OWN_AFTER_OPENING = re.compile(r"\s*(?:we\b|our\b|the proposed\b|this (?:method|model|framework|approach|system)\b)", re.I)
#: the words a sentence may open with before its subject ("Finally, the Llama 2-Chat model ...")
_OPENING = re.compile(r"\s*(?:(?:the|a|an|our|this|these|its|their|finally|moreover|however|then|here|"
                      r"first|second|third|additionally|specifically|in addition|in particular|further|also)"
                      r"[\s,]+){0,3}"
                      # "A baseline based on X is evaluated on ...": an unnamed system named by what it is
                      r"(?:(?:baseline|agent|policy|model|method|approach|system)s?\s+(?:based on|built on|using)\s+)?"
                      # "An instruction-following version, Mistral 7B-Instruct, is ...": the name in apposition
                      r"(?:(?:[\w-]+\s+){0,3}(?:version|variant|model|system|agent|policy|extension|counterpart)\s*,\s*)?",
                      re.I)
#: words earlier in a sentence that make the systems named after them what the method is compared
#: with, not what it uses (:meth:`RelationExtractor.learned_relations`)
_COMPARED = re.compile(starting_with("outperform surpass exceed beat than superior inferior compared against comparable "
                                     "comes coming came on competitive rival versus vs".split())
                       + r"\b(?:outperform\w*|surpass\w*|exceed\w*|beat(?:s|ing)?|than(?!\s+(?:\$\s*)?\d)|(?:superior|inferior) to|"
                       r"compared (?:to|with)|against|"
                       r"comparable (?:to|with)|(?:comes?|coming|came) close to|on par with|competitive with|rival\w*|"
                       r"versus|vs\.?)(?!\w)", re.I)
#: an apposition that names the family of the name before it: "(dDPO), a variant of DPO"
_FAMILY_OF_ANOTHER = re.compile(r"[\w)\]],\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}(?:variant|version|extension|"
                                r"generali[sz]ation|special case|instance) of\s+(?:the\s+)?$", re.I)
#: words right before a mention that deny it: what follows is not used, addressed or built on
_DENIED = re.compile(starting_with("without no not neither nor beyond unlike avoid eliminate instead rather".split())
                     + r"\b(without|no|not|neither|nor|beyond|unlike|avoid\w*|eliminat\w*|instead of|rather than)\s+"
                     # "without requiring costly supervised fine-tuning", "no need for additional"
                     r"(?:(?:the|a|an|any|explicit|separate|costly|expensive|extra|additional|requiring|needing|"
                     r"using|relying\s+on|need\s+for)\s+){0,3}"
                     # and what the denied thing comes with: "unlike RLHF with PPO", "without SFT or RLHF"
                     r"(?:(?:(?!(?:and|or|but|while|then|we|it)\b)[\w.+*-]+\s+){1,3}(?:with|using|via|and|or|nor)\s+"
                     r"(?:the\s+)?)?$", re.I)


_OPEN_BRACKET = re.compile(r"\s*\(\s*")
#: what ends a clause or an apposition before the next name
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|which|while|whereas)\b|\b(?:and|which|that)\s+(?!of\b)\w+s\b")
#: an apposition right after a name: ", a variant of", "(dDPO), an extension of"
_APPOSITION = re.compile(r"\s*\)?\s*(?:\([^()]{1,40}\)\s*)?,\s*(?:a|an|the)\s")


def _last_clause(between: str, mentions_between: list[Span], offset: int) -> str:
    """The words between a subject and a tail that can state a relation of them: from the last
    mention or clause break (", and", ";", "while") before the tail. "X builds on Llama 2 and uses
    SFT": "builds on" states nothing of SFT; "X, a family ... with 7B parameters, and Y": "with"
    states nothing of Y.

    >>> _last_clause(" a family of models with 7B parameters, and ", [], 0)
    ' '
    """
    cut = 0
    for m in mentions_between:
        cut = max(cut, m.end_char - offset)
    for b in re.finditer(r",\s+and\b|;|\bwhile\b|\bwhereas\b|,\s+(?:its|their|a|an)\b", between):
        cut = max(cut, b.end())
    return between[cut:]


#: words that make a following mention a comparison or an example, never a relation
_CONTRAST = re.compile(starting_with("unlike compared in than versus vs rather instead such e.g. including like".split())
                       + r"\b(unlike|compared (?:to|with)|in contrast to|than|versus|vs\.?|rather than|instead of|"
                       r"such as|e\.g\.|including|like)\s*(?:[\w%.,-]+\s+){0,3}$", re.I)
#: a sentence that opens on a contrast, up to its first comma: what it names is others' ("Unlike
#: prior works that rely on COLMAP for initialization, we ..."), however far from the "unlike"
_CONTRAST_CLAUSE = re.compile(r"\s*(?:unlike|in contrast to|contrary to|as opposed to)\b[^,;:]{0,120}", re.I)


def _in_opening_contrast(text: str, sent_start: int, sent_end: int, pos: int) -> bool:
    """Whether ``pos`` lies in the clause a sentence opens with "Unlike ..." (a comma must close
    it later in the sentence: without one the clause cannot be told from the main one).

    >>> t = "Unlike prior works that rely on COLMAP, we use VGGT."
    >>> _in_opening_contrast(t, 0, len(t), t.index("COLMAP")), _in_opening_contrast(t, 0, len(t), t.index("VGGT"))
    (True, False)
    """
    return _CONTRAST_CLAUSE.fullmatch(text, sent_start, pos) is not None and "," in text[pos:sent_end]


_EVALUATION = re.compile(starting_with("evaluate experiment test validate benchmark results achieve outperform surpass "
                                       "state-of-the-art SOTA improve perform score success demonstrate show attain "
                                       "reach accuracy".split())
                         + r"\b(evaluat\w*|experiment\w*|test\w*|validat\w*|benchmark\w*|results?|achiev\w*|"
                         r"outperform\w*|surpass\w*|state-of-the-art|SOTA|improv\w*|perform\w*|scor\w*|success|"
                         r"demonstrat\w*|show\w*|attain\w*|reach\w*|accuracy)\b", re.I)
_ADDRESS_BEFORE = re.compile(starting_with("for to in on address tackle solve across towards applications study investigate "
                                           "explore focus consider improve advance enable domains".split())
                             + r"\b(for|to|in|on|address\w*|tackl\w*|solv\w*|across|towards?|applications? (?:in|to)|"
                             r"stud(?:y|ies|ied)|investigat\w*|explor\w*|focus(?:es|ed)? on|consider\w*|"
                             r"improv\w*|advanc\w*|enabl\w*|domains?:?)\s+(?:[\w-]+\s+){0,3}$", re.I)
_TECHNIQUE_BEFORE = re.compile(starting_with("via using with through by from based learned trained".split())
                               + r"\b(via|using|with|through|by|from|based on|learned via|trained (?:via|with))\s+"
                               r"(?:[\w-]+\s+){0,2}$", re.I)
_TASK_AS_KIND = re.compile(r"^\s*(?:-based\s+)?(methods?|approaches|algorithms?|techniques?|agents?|policies|"
                           r"tasks?|problems?|settings?|domains?|frameworks?|applications?|scenarios?)\b", re.I)
_OWN_REFERENCE = re.compile(r"\b(we|our (?:[\w-]+ ){0,2}(?:method|approach|model|framework|algorithm|system|policy|"
                            r"agent|technique|architecture|formulation|design|experiment|result|evaluation|analysis)s?|the proposed (?:[\w-]+ )?\w+|"
                            r"this (?:approach|method|framework|model|algorithm|technique|paper|work|study|thesis)|^\s*it|"
                            # "Furthermore, its learned representations outperform ...": the system's own
                            # (after "However," its is mostly a prior system's limitation)
                            r"^\s*(?:(?:furthermore|moreover|additionally|meanwhile|notably|specifically|"
                            r"importantly|finally|also|overall),\s*)?its)\b",
                            re.I)
_NUMBER = re.compile(r"(?<![\w.])([+-]?\d+(?:\.\d+)?)\s?(%|x|×|Hz|points?|pp)?(?![\w])")


def _ending(text: str, limit: int = 200) -> str:
    """The last words of ``text`` (at most ``limit`` characters, cut at a space): all that the
    patterns anchored at a text's end can match, so long sentences cost no more than short ones.

    >>> _ending("a b c", 5), _ending("one two three", 8)
    ('a b c', ' three')
    """
    if len(text) <= limit:
        return text
    cut = text.find(" ", len(text) - limit)
    return text[cut:] if cut >= 0 else text[-limit:]


#: the names of one sentence the relation stage reads (:meth:`RelationExtractor.__call__`)
MAX_SENTENCE_MENTIONS = 100


class RelationExtractor:
    """Finds proposals, relations and results in one Doc (a paper).

    With models (the default pipeline), what the paper proposes and what its own method (or the
    paper) is to each entity are decided by :mod:`kg.nlp.relation_model`, reading what the rules
    below found as evidence; relations between two other entities, measuredBy and results stay
    with the rules. Without models (``--rules-only``) the rules decide everything.
    """

    def __init__(self, relation_model: LinearModel | None = None, proposal_model: LinearModel | None = None,
                 lexicon: Lexicon | None = None, outside_heads: frozenset[str] | None = None,
                 name_rules: NameRules | None = None):
        self.relation_model = relation_model
        self.proposal_model = proposal_model
        self.lexicon = lexicon
        # the heads of what is outside the typology: institutions, devices ("... (JULIE) Lab")
        self.outside_heads = load_abbreviation_rules().outside_heads if outside_heads is None else outside_heads
        self.name_rules = name_rules or load_name_rules()
        #: the nouns that say what kind of thing a name is ("benchmark", "model", "framework")
        self.kind_nouns = frozenset(self.name_rules.cue_types)
        #: what a system costs: a benchmark's measure only when no other is reported with it
        self.cost_metrics = self.name_rules.cost_metrics

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc.spans.get(MENTIONS, []))
        sentences = sentences_with(doc, mentions)
        if any(len(ms) > MAX_SENTENCE_MENTIONS for _sent, ms in sentences):
            # a "sentence" naming hundreds of things is a list or a table pasted as text, not a
            # statement: the rules and models read its first names only, as their work grows with
            # the square of a sentence's names (real abstracts name at most 16 in one sentence)
            sentences = [(sent, ms[:MAX_SENTENCE_MENTIONS]) for sent, ms in sentences]
            mentions = [m for _sent, ms in sentences for m in ms]
        title_name = _title_name_span(doc)
        parts: set[str] = set()
        proposes = self.proposals(doc, mentions, sentences, title_name, parts)
        view = paper_view(doc, mentions) if self.relation_model or self.proposal_model else None
        titled = {m.kb_id_ for m in mentions if _leads_title(m, title_name)}
        if self.proposal_model is not None:
            proposes = self.learned_proposals(view, proposes, titled)
        if self.lexicon is not None:
            # "we propose a graph autoencoder for ...": a family the lexicon names in lower case is
            # the kind of the paper's unnamed system, not its name (typology: the system is
            # basedOn the family, its statements have PAPER as head)
            proposes = [p for p in proposes if p in titled or not (
                _lower_case_family(self.lexicon, p) or _written_as_family(self.lexicon, p, mentions))]
        variants = self._own_variants(mentions, proposes)
        if variants:
            # "Zephyr-7B outperforms ..." in the paper that proposes Zephyr: what the paper says
            # of its own system's sizes it says of its system (the variant stays an entity)
            mentions = [Span(doc, m.start, m.end, label=m.label_, kb_id=variants[m.kb_id_], span_id=m.id_)
                        if m.kb_id_ in variants else m for m in mentions]
            sentences = sentences_with(doc, mentions)
            view = paper_view(doc, mentions) if view is not None else None
        types = {m.kb_id_: m.label_ for m in mentions}
        # "our approach introduces two key modules: a Geodesic Distance Approximator (GDA) and ...":
        # the parts of an unnamed system are what it uses, not its name (typology: PAPER heads)
        head = main_head([p for p in proposes if p not in parts], types)
        hints = {}
        if proposes:
            # a paper's own system is a Model when the abstract gives its size or releases its
            # weights (typology); else what the rules typed it
            text = doc_text(doc)
            released = _MODEL_SIGNAL.search(text) is not None
            for p in proposes:
                own = [m for m in mentions if m.kb_id_ == p]
                if own and all(m.label_ in SYSTEM_TYPES for m in own) and (
                        released and p == head or any(_BRACKETED_SIZE.match(text, m.end_char) for m in own)):
                    # (the released weights are the system's, not its parts' nor data the paper also
                    # releases: "We release OpenLVD200M and ...")
                    hints[p] = "Model"
        relations = self.stated_relations(doc, sentences, head, proposes)
        relations.extend(_evaluated_on_own_data(doc, sentences, proposes, head, types))
        own = frozenset(proposes)
        results = [r for sent, ms in sentences for r in self.sentence_results(doc, sent, ms, head, own)]
        if self.relation_model is not None:
            group = doc.spans.get(MENTIONS)
            found: dict[str, float] = {}
            for m, c in zip(mentions, group.attrs.get("confidence", []) if group is not None else []):
                found[m.kb_id_] = max(found.get(m.kb_id_, 0.0), c)
            relations = self.learned_relations(view, head, proposes, relations, found)
        if proposes:
            # a paper is not evaluated on the benchmark it makes: the systems it evaluates are
            # (typology; "we release RoTO", "using our benchmark we survey ... models")
            relations = [r for r in relations if not (r.head == PAPER and r.type == "evaluatedOn" and r.tail in own)]
        if parts:
            # the key modules of the paper's system are what it uses, not what it builds on (typology)
            relations = [replace(r, type="uses") if r.type == "basedOn" and r.head == head and r.tail in parts else r
                         for r in relations]
        if head != PAPER:
            # the named parts of the paper's own system ("a Hybrid Controller", "the Auto-think
            # Switch") are Methods it proposes (typology), after the system; the relations above
            # were drawn with them as what the system uses, which they stay
            proposes = proposes + list(dict.fromkeys(m.kb_id_ for m in mentions
                                                     if m.id_ == "names.part" and m.kb_id_ not in proposes))
        ext = doc._
        ext.kg_proposes = proposes
        ext.kg_relations = _dedupe(relations)
        ext.kg_results = results
        ext.kg_type_hints = hints
        return doc

    def stated_relations(self, doc: Doc, sentences: list[tuple[Span, list[Span]]], head: str,
                         proposes: list[str]) -> list[RelationHit]:
        """What the sentence rules find in each sentence (with its mentions), in text order; the
        first sentence is the title's when the paper has one."""
        title_end = sentences[0][0].end if sentences else 0
        has_title = "\n\n" in doc_text(doc)
        return [h for sent, ms in sentences
                for h in self.sentence_relations(doc, sent, ms, head, proposes, has_title and sent.end <= title_end)]

    # --- the learned decisions ------------------------------------------------------------
    def learned_proposals(self, view: PaperView, by_rules: list[str], titled: Collection[str] = ()) -> list[str]:
        """What the paper proposes: the rules' findings unless the proposal model finds them unlikely
        (below its ``keep_threshold``), and what the model is sure of (``add_threshold``) besides;
        in the order the rules found them, then by first mention. Measured by cross-validation,
        the rules alone or the model alone each lose on one of the annotated sets; this keeps the
        better of both on each. A name that leads the title (``titled``) stays whatever the model
        says (typology): the model learned that a name the lexicon knows is seldom proposed, but
        the paper that made Zephyr proposes it."""
        names = list(dict.fromkeys(m.canonical for m in view.mentions if m.type in OWN))
        if not names:
            return []
        items = [proposal_features(view, n, n in by_rules, self.lexicon is not None and self.lexicon.lookup(n) is not None)
                 for n in names]
        probs = self.proposal_model.probabilities(items)
        keep = float(self.proposal_model.meta.get("keep_threshold", 0.5))
        add = float(self.proposal_model.meta.get("add_threshold", 0.5))
        chosen = {n for n, p in zip(names, probs) if p[1] >= (keep if n in by_rules else add)} | \
            (set(titled) & set(by_rules))
        return [n for n in by_rules if n in chosen] + [n for n in names if n in chosen and n not in by_rules]

    def learned_relations(self, view: PaperView, head: str, proposes: list[str], by_rules: list[RelationHit],
                          entity_confidence: dict[str, float] | None = None) -> list[RelationHit]:
        """The relation of the paper's own method (or PAPER) to each other entity; the rules keep
        relations between two other entities and measuredBy.

        Sentence rules that stated relations for the pair, with a measured confidence of at least
        ``RULE_FIRST``, decide it (the sentences say so; a pair may hold several: "builds on X",
        "outperforms X"); otherwise the relation model gives the one relation that everything the
        paper says around the entity points to. ``outperforms`` and ``trainedOn`` come from the
        rules only: a claim of superiority or of training data is made in one sentence, where the
        rules see its negation, and the annotated papers hold too few to learn them.

        A relation's confidence is that of its rule or the model, times that of its tail being an
        entity at all (``entity_confidence``: the best of its mentions); relations less confident
        than the model's ``min_confidence`` are not drawn, nor the model's own ones of a type less
        confident than its ``min_confidence_by_type``.
        """
        entity_confidence = entity_confidence or {}
        floor = float(self.relation_model.meta.get("min_confidence", 0.0))
        # the model's own decisions of some types need more (a model's addresses and uses are
        # those a reader most often finds wrong)
        model_floor = {t: max(floor, float(c)) for t, c in self.relation_model.meta.get("min_confidence_by_type", {}).items()}
        own = set(proposes)
        types: dict[str, str] = {}
        for m in view.mentions:
            types.setdefault(m.canonical, m.type)
        rule_hits: dict[str, list[RelationHit]] = {}
        kept = []
        others: set[str] = set()  # tails the sentences give to another named system
        # the systems a benchmark paper evaluates on its benchmark are evaluated, not used (typology)
        evaluated = {h.head for h in by_rules if h.rule == _OWN_DATA_RULE}
        for h in by_rules:
            if h.head == head:
                rule_hits.setdefault(h.tail, []).append(h)
            elif h.head != PAPER and h.head not in own or h.type == "measuredBy":
                kept.append(h)
                if h.type != "measuredBy":
                    # (a benchmark the paper's evaluated systems are evaluatedOn is theirs to be
                    # evaluated on, not the paper's)
                    others.add(h.tail)
        # the head's own variants ("Llama2-70B" of "Llama 2") are variantOf it, nothing else
        tails = [n for n in types if n != head and not _extends(n, head)]
        if not tails:
            return kept
        labels = self.relation_model.labels
        threshold = float(self.relation_model.meta.get("threshold", 0.5))
        head_type = "Paper" if head == PAPER else types.get(head, "Method")
        head_type = "Method" if head_type not in SYSTEM_TYPES and head != PAPER else head_type
        # what the sentences decide first; the model reads only the pairs they leave to it, with
        # the labels their types allow
        decided: dict[str, list[RelationHit]] = {}
        allowed: dict[str, list[int]] = {}
        for t in tails:
            if all(_DENIED.search(view.text[max(0, m.start - 40):m.start])
                   or _in_opening_contrast(view.text, *view.sentence(view.sentence_of(m.start)), m.start)
                   for m in view.of_name(t)):
                decided[t] = []  # every mention denied: "Aligns Language Models Without Reinforcement Learning"
                continue
            exists = entity_confidence.get(t, 1.0)
            stated = [(c, h) for h in rule_hits.get(t, []) if (c := confidence(h.rule)) >= RULE_FIRST]
            if stated:  # each relation a sentence states ("builds on X", later "outperforms X")
                decided[t] = [RelationHit(h.head, h.type, h.tail, h.sent_start, h.sent_end, round(conf * exists, 3), h.rule)
                              for conf, h in stated if conf * exists >= floor]
            elif t in others or t in evaluated or _said_of_another(view, t, own | {head}):
                decided[t] = []  # "Llama 2-Chat is fine-tuned ... with PPO": PPO is Llama 2-Chat's, not the paper's
            elif _named_as_family_only(view, t):
                decided[t] = []  # "dDPO, a variant of DPO": DPO is named as dDPO's family (variantOf), not as used
            elif types[t] in SYSTEM_TYPES and all(_COMPARED.search(view.text, view.sentence(view.sentence_of(m.start))[0],
                                                             m.start) for m in view.of_name(t)):
                decided[t] = []  # "outperforms leading models (e.g., DINOv3, ...)": compared with, not used
            else:
                allowed[t] = [i for i in range(1, len(labels)) if labels[i] not in _RULES_ONLY
                              and relation_allowed(labels[i], head_type, types[t])]
                if not allowed[t]:
                    decided[t] = []
        asked = [t for t in tails if t not in decided]
        probs = dict(zip(asked, self.relation_model.probabilities(
            [relation_features(view, t, head, own, {h.type for h in rule_hits.get(t, [])}, t in own) for t in asked])))
        for t in tails:
            if t in decided:
                kept.extend(decided[t])
                continue
            p = probs[t]
            exists = entity_confidence.get(t, 1.0)
            best = max(allowed[t], key=lambda i: p[i])
            if labels[best] == "evaluatedOn" and not any(_speaks_of_evaluation(view, m) for m in view.of_name(t)):
                # no sentence naming it speaks of evaluation ("imitates dialogues from the UltraChat
                # dataset"): the data is used, not evaluated on
                best = max((i for i in allowed[t] if labels[i] != "evaluatedOn"), key=lambda i: p[i], default=best)
            if p[best] < threshold or p[best] * exists < model_floor.get(labels[best], floor):
                continue
            s0, s1 = next(((h.sent_start, h.sent_end) for h in rule_hits.get(t, []) if h.type == labels[best]), None) \
                or _evidence_sentence(view, t, head, own)
            subject = _own_system_of(view, s0, s1, head, own, types) if labels[best] == "evaluatedOn" else head
            kept.append(RelationHit(subject, labels[best], t, s0, s1, round(float(p[best]) * exists, 3),
                                    "model.relations"))
        return kept

    # --- proposals ------------------------------------------------------------------------
    def proposals(self, doc: Doc, mentions: list[Span], sentences: list[tuple[Span, list[Span]]],
                  title_name: tuple[int, int] | None = None, parts: set[str] | None = None) -> list[str]:
        """What the rules say the paper proposes; ``title_name``: the span of the name its title
        leads with, when the caller has found it already (``_title_name_span``); ``parts``, when
        given, receives the names proposed as parts of the authors' system (its "key modules")."""
        out: list[str] = []
        if title_name is None:
            title_name = _title_name_span(doc)
        out.extend(m.kb_id_ for m in mentions if _leads_title(m, title_name))
        first_sentence = sentences[0][0] if sentences else None
        if first_sentence is not None and _SURVEY.search(span_text(first_sentence)):
            return out  # a survey proposes nothing but a name its title gives
        doc_chars = doc_text(doc)
        for sent, ms in sentences:
            text = span_text(sent)
            own_voice = bool(_WE.search(text))
            for m in ms:
                if m.label_ not in OWN or doc_chars[m.end_char:m.end_char + 6] == "-based":
                    continue
                before = doc_chars[sent.start_char:m.start_char]
                ending = _ending(before)
                naming = _NAMING.search(ending)
                if naming and (own_voice or "we" in naming.group(1).lower()):
                    out.append(m.kb_id_)
                    continue
                if (own_voice or sent is first_sentence) and m.label_ == "Method" \
                        and names_a_team(doc_chars, m.start_char, m.end_char, self.name_rules):
                    out.append(m.kb_id_)  # "This paper describes LIMSI's submission to ...": the team's entry
                    continue
                if _PROPOSED_AFTER.match(doc_chars, m.end_char):
                    out.append(m.kb_id_)  # "A bimanual impedance controller (MPIC) is proposed for ..."
                    continue
                if _OUR_NEW_BEFORE.search(ending):
                    out.append(m.kb_id_)  # "... and our novel shallow Channel-Independent Model (CIM-S)"
                    continue
                if own_voice and _DESCRIBES_THE.search(ending) and _SYSTEM_AFTER.match(doc_chars, m.end_char):
                    out.append(m.kb_id_)  # "This paper describes the SumTO system architecture, which ..."
                    continue
                verb = _last_match(_PROPOSE, before)
                if verb is None or not own_voice:
                    continue
                previous = next((o for o in reversed(ms) if o.end_char <= m.start_char and o.label_ in OWN), None)
                if previous is not None and previous.kb_id_ in out and previous.start_char > sent.start_char + verb.end() \
                        and _COORDINATED.fullmatch(doc_chars, previous.end_char, m.start_char):
                    out.append(m.kb_id_)  # "we present FlashCodec and UnifiedServe": both
                    continue
                gap = before[verb.end():]
                gap_words = re.findall(r"[\w'-]+", gap.lower())
                adjectival = _ADJECTIVAL.search(before, max(0, verb.start() - 20), verb.start())
                if adjectival and (adjectival.group(1) is not None
                                   or len(gap_words) > 1 and not _APPOSED_AFTER_PHRASE.fullmatch(gap)):
                    # a participle in a noun phrase: the name inside it is proposed ("a proposed SF
                    # dataset", "the proposed DM-KRR method") or set after it ("our recently
                    # developed open source library – Graph4NLP"), not one after a verb ("our
                    # proposed method outperforms IntentCapsNet"), nor any others proposed recently
                    continue
                if gap.rstrip().endswith("(") and len(gap_words) <= 12:
                    # the short form of a name defined right here: its long form may hold "of",
                    # "and", "for" ("we propose a Dual User and Product Memory Network (DUPMN)")
                    if any(w in _NOT_IN_LONG_FORMS for w in gap_words):
                        continue
                elif len(gap_words) > 10 or any(w in _BLOCKERS for w in gap_words) and not (
                        gap_words[:1] in (["a"], ["an"]) and _APPOSED_AFTER_PHRASE.fullmatch(gap)
                        and any(w in self.kind_nouns for w in gap_words)):
                    # (a kind in apposition may hold them: "we present a new method for sentence
                    # classification, Context-LSTM-CNN", "an effective and scalable framework, NICE")
                    continue
                if any(o.start_char < m.start_char and o.start_char > sent.start_char + verb.end()
                       and o.label_ in OWN for o in ms if o is not m):
                    continue  # only the first name after the verb
                if _one_of_a_known_family(gap, self.kind_nouns) and self.lexicon is not None \
                        and self.lexicon.lookup(m.kb_id_) is self.lexicon.lookup(span_text(m)) is not None \
                        and (_NAMES_A_KIND_AFTER.match(doc_chars, m.end_char) or any(
                            o.kb_id_ == m.kb_id_ and o.end_char <= sent.start_char for o in mentions)):
                    # "we propose a new GAN model", "a novel Neural Radiance Fields (NeRF) module": one of
                    # a family the lexicon knows by the name written (typology), not the family; a
                    # new long form whose short form the lexicon has for another thing is the paper's
                    continue
                out.append(m.kb_id_)
                if parts is not None and _PART_CUE.search(gap):
                    parts.add(m.kb_id_)  # "our approach introduces two key modules: a ... (GDA)"
        for name, is_part in self._defined_parts(doc_chars, sentences, doc._.kg_abbreviations or {}):
            out.append(name)
            if is_part and parts is not None:
                parts.add(name)
        seen: set[str] = set()
        return [p for p in out if not (p in seen or seen.add(p))]

    def _defined_parts(self, doc_chars: str, sentences: list[tuple[Span, list[Span]]],
                       abbreviations: dict[str, tuple[str, str, str]]) -> list[tuple[str, bool]]:
        """The parts of their system the authors define and name in a sentence about their work:
        a short form the lexicon lacks, defined after a verb of contribution or "key modules"
        with nothing between that says the authors only use it ("we introduce two merging
        strategies: Error-Constrained Layer Merging (ECLM) and Mask-guided Token Merging
        (Mask-ToMe)", "our key innovation lies in the Voronoi Half-Patch (VHP) representation"),
        each with whether it is named as a part of a system ("two key modules: ...", "consists of")
        rather than as the authors' contribution itself."""
        if self.lexicon is None:
            return []
        out = []
        for sent, ms in sentences:
            for m in ms:
                if m.label_ not in OWN or m.id_ != "abbreviation" or doc_chars[m.start_char - 1:m.start_char] != "(" \
                        or doc_chars[m.end_char:m.end_char + 1] != ")":
                    continue
                if self.lexicon.lookup(m.text) is not None or self.lexicon.lookup(m.kb_id_) is not None:
                    continue
                before = doc_chars[sent.start_char:m.start_char]
                if not _WE.search(before):
                    continue
                # the noun right after the short form names an organisation, a device, a condition:
                # "the Jena University Language & Information Engineering (JULIE) Lab" (a long form
                # with such a head defines no entity: kg_abbreviations drops it)
                head_after = re.match(r"\)\s*([A-Za-z]+)", doc_chars[m.end_char:m.end_char + 30])
                if head_after and listed(head_after.group(1).lower(), self.outside_heads):
                    continue
                cue = _last_match(_CONTRIBUTION, before)
                # the words between the cue and the long form, not the long form's own ("data exploitation")
                between = before[cue.end():].rstrip(" (") if cue is not None else ""
                long_form = (abbreviations.get(m.text) or ("",))[0]
                if long_form and between.endswith(long_form):
                    between = between[:-len(long_form)]
                if cue is not None and not _ONLY_USED.search(between):
                    out.append((m.kb_id_, _PART_CUE.fullmatch(cue.group(0)) is not None))
        return out

    # --- relations ------------------------------------------------------------------------
    def sentence_relations(self, doc: Doc, sent: Span, ms: list[Span], head: str, proposes: list[str],
                           in_title: bool) -> list[RelationHit]:
        """Relations stated in one sentence.

        The subject is a proposed name in the sentence, else the paper's own method when the
        authors speak of it ("we", "our method", "it"), else a Method/Model that opens the
        sentence. A tail is a later mention; the words between decide the relation.
        """
        out: list[RelationHit] = []
        s0, s1 = sent.start_char, sent.end_char
        text = doc_text(doc)

        def add(h: str, rel: str, t: str, conf: float, rule: str) -> None:
            if h != t:
                out.append(RelationHit(h, rel, t, s0, s1, conf, rule))

        own_names = set(proposes)
        built_on = self._built_on_opening(text, s0, s1, ms, head, own_names)
        for t, (subject, conf) in built_on.items():
            add(subject, "basedOn", t, conf, "relations.basedOn.opening")
        last: tuple[str, str, str, float, str] | None = None  # the latest relation, for lists
        for i, tail in enumerate(ms):
            if tail.kb_id_ in built_on:
                continue  # stated above: what the opening says the system is built on
            if _is_modifier(doc, tail, ms[i + 1:]):
                continue  # "CNN-based ... Policies", "Transformer Diffusion Policies": not the tail
            listed = _continues_list(text, ms[i - 1], tail) if i else False
            if listed and last is not None and last[1] == ms[i - 1].kb_id_:
                # "on CALVIN and LIBERO", "surpasses prior methods (e.g., A, B, C)": however long
                # the list, what is said of its first item is said of the rest
                add(last[0], last[2], tail.kb_id_, last[3], last[4])
                last = (last[0], tail.kb_id_, last[2], last[3], last[4])
                continue
            prefix = text[s0:tail.start_char]
            recent = _ending(prefix)  # what the patterns anchored at the tail can see
            if _CONTRAST.search(recent) and not re.search(r"\b(outperform\w*|surpass\w*|better|faster)\b", prefix[-80:],
                                                           re.I):
                continue
            if _DENIED.search(recent, max(0, len(recent) - 90)):  # it can only match the last words
                continue  # "... Without Reinforcement Learning", "no reward model": nothing is stated of it
            subject, subject_end, confidence = self._subject(doc, sent, ms[:i], head, own_names, in_title)
            if subject is None or subject == tail.kb_id_:
                continue
            if (subject in own_names or subject in (head, PAPER)) and _in_opening_contrast(text, s0, s1, tail.start_char):
                continue  # "Unlike prior works that rely on COLMAP, we ...": others' (but "Unlike X, which uses Y" is X's)
            if tail.kb_id_ in own_names and tail.label_ not in DATA_TYPES:
                continue  # what the paper proposes is no tail, but a benchmark or dataset systems use
            inside = [m for m in ms[:i] if m.end_char > subject_end]
            between = _last_clause(text[subject_end:tail.start_char], inside, subject_end)
            if inside and inside[-1].kb_id_ != subject and _APPOSITION.match(text, inside[-1].end_char, tail.start_char) \
                    and not _CLAUSE_BREAK.search(text, inside[-1].end_char, tail.start_char) \
                    and not _OPEN_BRACKET.fullmatch(text, subject_end, inside[-1].start_char):
                # "apply dDPO, a variant of DPO": the words describe dDPO, not the subject; but
                # "X (C3+), an enhanced CI-MPC algorithm" describes X, bracketed name and all
                continue
            if tail.label_ == "Task" and subject not in own_names and subject != head:
                continue  # tasks attach to the paper's own method; others' are background
            if tail.label_ in SYSTEM_TYPES and subject in own_names and _DESCRIBED_AS.fullmatch(text[subject_end:tail.start_char]):
                # "X, an enhanced CI-MPC algorithm", "X: A Latent Causal Diffusion Model": a
                # family named in the description of the paper's own system (typology: basedOn)
                add(subject, "basedOn", tail.kb_id_, confidence, "relations.basedOn.described")
                last = (subject, tail.kb_id_, "basedOn", confidence, "relations.basedOn.described")
                continue
            found = self._relation(between, recent, tail, subject, sent, in_title)
            if found is not None:
                rel, rule = found
                add(subject, rel, tail.kb_id_, confidence, rule)
                last = (subject, tail.kb_id_, rel, confidence, rule)
        # measuredBy: a benchmark and a metric reported together (a number, or words that report a measure)
        if _NUMBER.search(text[s0:s1]) or _MEASURING.search(text[s0:s1]):
            data = [m for m in ms if m.label_ in DATA_TYPES]
            metrics = [m for m in ms if m.label_ == "Metric"]
            # beside a quality measure, a cost measure is the system's ("while reducing latency";
            # ontology/rules/cost-metrics.txt)
            metrics = [m for m in metrics if m.kb_id_.lower() not in self.cost_metrics] or metrics
            for k, mt in enumerate(metrics):
                if len({b.kb_id_ for b in data}) > 1:
                    # several benchmarks: a metric is reported on those named after it before
                    # the next metric ("CD (0.64) on DTU and F1 (0.44) on T&T", "accuracy on
                    # X and Y"), else on the first after it ("SSIM and LPIPS on Z"), else on
                    # the last before it
                    until = metrics[k + 1].start_char if k + 1 < len(metrics) else len(text)
                    after = [b for b in data if b.start_char >= mt.end_char]
                    before = [b for b in data if b.end_char <= mt.start_char]
                    # ... or on the list the last before it ends ("on HICO-DET and V-COCO show
                    # ... mAP"): each of its benchmarks
                    on = [b for b in after if b.start_char < until] or after[:1] or \
                        (_list_of(text, before[-1], data, 0) if before else [])
                else:
                    on = data
                for b in on:
                    add(b.kb_id_, "measuredBy", mt.kb_id_, 0.5, "relations.measuredBy")
        return out

    @staticmethod
    def _built_on_opening(text: str, s0: int, s1: int, ms: list[Span], head: str,
                          own: set[str]) -> dict[str, tuple[str, float]]:
        """The systems a sentence opens on as what the paper's own system is built on, each with
        that system's name: "Built upon Llama 2 and DINOv2, Zorb adds ..." (typology: basedOn), when
        the words after the opening's comma are the system's name or its authors ("we", "our
        method"); the paper's unnamed system (PAPER) is built on nothing."""
        opening = _BUILT_ON_OPENING.match(text, s0, s1)
        comma = text.find(",", opening.end(), s1) if opening is not None else -1
        if comma < 0:
            return {}
        after = next((m for m in ms if m.start_char > comma), None)
        if after is not None and after.kb_id_ in own and not text[comma + 1:after.start_char].strip():
            subject = after.kb_id_
        elif _OWN_AFTER_OPENING.match(text, comma + 1, s1) and head != PAPER:
            subject = head
        else:
            return {}
        conf = confidence("relations.basedOn.opening", 0.6)
        return {m.kb_id_: (subject, conf) for m in ms if opening.end() <= m.start_char and m.end_char <= comma
                and m.label_ in SYSTEM_TYPES and m.kb_id_ != subject}

    def _own_variants(self, mentions: list[Span], proposes: list[str]) -> dict[str, str]:
        """The paper's names for a size of a system it proposes ("Zephyr-7B" where it proposes
        Zephyr), by the name's size suffix; not its derivatives ("Llama 2-Chat" is fine-tuned from
        Llama 2, and what it is trained with is its own)."""
        own = {name_key(p): p for p in proposes}
        out: dict[str, str] = {}
        if not own:
            return out
        for m in mentions:
            if m.kb_id_ in proposes or m.label_ not in SYSTEM_TYPES:
                continue
            family = size_variant_family(m.kb_id_)
            if family is not None and name_key(family) in own:
                out[m.kb_id_] = own[name_key(family)]
        return out

    def _subject(self, doc: Doc, sent: Span, before: list[Span], head: str, own: set[str],
                 in_title: bool) -> tuple[str | None, int, float]:
        """Who a sentence's statement is about, where that subject ends, and the confidence.

        A named system that opens the sentence is its subject ("Llama 2-Chat is fine-tuned from
        Llama 2 ... with PPO": PPO is Llama 2-Chat's, though the paper proposes Llama 2); else the
        last name the paper proposes before the tail, else the paper's own method when the authors
        speak ("we", "our method"), else nothing.
        """
        text = doc_text(doc)
        first_system = next((m for m in before if m.label_ in SYSTEM_TYPES), None)
        opening = first_system if first_system is not None and \
            _OPENING.fullmatch(text[sent.start_char:first_system.start_char]) else None
        if opening is not None and opening.kb_id_ not in own and not in_title:
            return opening.kb_id_, opening.end_char, 0.6
        for m in reversed(before):
            if m.kb_id_ in own:
                return m.kb_id_, m.end_char, 0.8
        if in_title:
            return head, sent.start_char, 0.7
        ours = list(_OWN_REFERENCE.finditer(text[sent.start_char:before[-1].end_char if before else sent.end_char]))
        if ours or (not before and _OWN_REFERENCE.search(span_text(sent))):
            end = sent.start_char + ours[-1].end() if ours else sent.start_char
            return head, end, 0.7
        if not before and head != PAPER:
            stage = _STAGE_OPENING.match(text, sent.start_char)
            if stage is not None and stage.group("stage").lower() not in _NOT_OURS and \
                    _WE.search(text, 0, sent.start_char) is not None:
                # "Optimisation uses GRPO": a stage of the method the authors describe (after they spoke)
                return head, sent.start_char, 0.6
        systems = [m for m in before if m.label_ in SYSTEM_TYPES]
        if systems and systems[0] is before[0] and len(text[sent.start_char:systems[0].start_char].split()) <= 3:
            if _GERUND_OPENING.match(text, sent.start_char, systems[0].start_char):
                # "Serving the Llama2 backbone with 4-bit quantisation keeps ...": the name is what
                # the authors act on, not who acts
                return head, sent.start_char, 0.6
            return systems[0].kb_id_, systems[0].end_char, 0.6  # "OpenVLA builds on ...": a named subject
        return None, 0, 0.0

    def _relation(self, between: str, recent: str, tail: Span, subject: str, sent: Span,
                  in_title: bool = False) -> tuple[str, str] | None:
        """The relation the words between subject and tail state and the rule that says so, if
        any; ``recent`` is the end of the sentence before the tail (:func:`_ending`).

        In a title ("X: Y for Z via W") a task is what the paper addresses and a method what
        it uses, unless the words say otherwise.
        """
        negated = bool(_NEGATION.search(between))
        if tail.label_ == "Task":
            after = doc_text(sent.doc)[tail.end_char:tail.end_char + 30]
            if _TECHNIQUE_BEFORE.search(recent) or re.match(r"\s*-?based\b", after):
                return "uses", "relations.uses.task"
            if in_title and re.search(r"\blearning$", tail.text, re.I) and re.match(
                    r"\s+(?:-\s*)?(?:based\s+)?(?:approach|framework|method|perspective|paradigm|solution)\b", after, re.I):
                return "uses", "relations.uses.task"  # "Rock Capturing: A Reinforcement Learning Approach"
            if in_title and re.search(r"\blearning$", tail.text, re.I) and re.match(r"\s+(?:for|of)\s", after):
                # "Unsupervised Learning of Robot Motion", "Transfer Learning for NMT": the learning
                # paradigm is how the paper does what the rest of the title names, not its problem;
                # whether the paper uses it the relation model decides from the whole abstract
                return None
            if in_title:
                return "addresses", "relations.addresses.title"
            if _TASK_AS_KIND.match(after) or _ADDRESS_BEFORE.search(recent):
                return "addresses", "relations.addresses"
            return None
        if tail.label_ == "Metric":
            return None
        if in_title and tail.label_ in DATA_TYPES and re.search(r"\bat\s+(?:the\s+)?$", recent):
            return "evaluatedOn", "relations.evaluatedOn"  # "Know-Center at SemEval-2017 Task 10: ..."
        best: tuple[int, str, str] | None = None  # the trigger closest to the tail wins
        for rule, rel, pattern, tail_types in _TRIGGERS:
            if tail.label_ not in tail_types:
                continue
            if rel == "evaluatedOn":
                if not _EVALUATION.search(span_text(sent)):
                    continue
                m = pattern.search(recent)
                end = len(between) if m else -1
            else:
                m = None
                for m in pattern.finditer(between):
                    pass
                end = m.end() if m else -1
            if m is None or end < 0:
                continue
            if rel == "outperforms" and (negated or subject == PAPER):
                continue
            if best is None or end > best[0]:
                best = (end, "uses" if rel == "basedOn" and subject == PAPER else rel, rule)
        if best is None and in_title and tail.label_ in SYSTEM_TYPES and subject != PAPER:
            return "uses", "relations.uses.title"
        return (best[1], best[2]) if best else None

    # --- results --------------------------------------------------------------------------
    def _is_setting(self, words_before_of: str) -> bool:
        """Whether the last two or three words before "of" name a setting of a run, which the
        lexicon's stop names list ("learning rate", "batch size"): its number is no result."""
        words = words_before_of.split()[:-1]  # without "of"
        return self.lexicon is not None and any(
            self.lexicon.is_stopname(" ".join(words[-n:])) for n in (2, 3) if len(words) >= n)

    def sentence_results(self, doc: Doc, sent: Span, ms: list[Span], head: str,
                         own: frozenset[str] = frozenset()) -> list[ResultHit]:
        text = doc_text(doc)[sent.start_char:sent.end_char]
        if not _DIGIT.search(text):
            return []
        mention_chars = [(m.start_char - sent.start_char, m.end_char - sent.start_char) for m in ms]
        # the verb must be the sentence's, not a name's ("Faster R-CNN ... was trained on 11,206 images")
        if not any(m.label_ == "Metric" for m in ms) and not any(
                not any(a <= verb.start() < b for a, b in mention_chars) for verb in _RESULT_VERB.finditer(text)):
            return []
        numbers: list[tuple[re.Match, Span | None, str]] = []  # (number, its metric, its value)
        sides: list[tuple[list[Span], list[Span]]] = []  # the mentions before and after each number
        for num in _SCORE.finditer(text):
            if any(a <= num.start() < b for a, b in mention_chars):
                continue  # a digit inside a name ("LIBERO-90")
            after = [m for m in ms if m.start_char - sent.start_char >= num.end()]
            before = [m for m in ms if m.end_char - sent.start_char <= num.start()]
            inside = [m for m in ms if num.start() <= m.start_char - sent.start_char < num.end()]
            if (_BASELINE_NUMBER.search(text, max(0, num.start() - 20), num.start()) or (
                    _FROM.search(text, max(0, num.start() - 8), num.start()) and _TO_NUMBER.match(text, num.end()))) \
                    and _owner(text, num, after, sent.start_char) is None:
                continue  # "82% vs. 70% for the baseline", "from 16.38 to 22.62": what it is compared with
            if _STATISTIC.search(text, max(0, num.start() - 16), num.start()):
                continue  # "(p < 0.001)", "n = 40": a test's or a sample's number, not a result
            metric = _bound_metric(text, num, before, after, sent.start_char, inside)
            if not _is_score(num, metric):
                continue  # a count ("29 tasks", "3 robots"), a year, a size
            value = _written(num)
            if metric is None:  # "hamming loss of 0.04": the words that say what the number is
                said = re.search(r"((?:[a-z][\w-]*\s+){1,3}of\s+)$", text[max(0, num.start() - 40):num.start()])
                if said and self._is_setting(said.group(1)):
                    continue  # "a learning rate of 0.001": how it was run, not what it reached
                value = (said.group(1) + value) if said else value
            numbers.append((num, metric, value))
            sides.append((before, after))
        metrics = _shared_metrics(text, numbers, [m for m in ms if m.label_ == "Metric"], sent.start_char)
        respective = "respectively" in text.lower()
        data = [m for m in ms if m.label_ in DATA_TYPES]
        out = []
        for (num, _, value), metric, (before, after) in zip(numbers, metrics, sides):
            # "88.1 PDMS on NAVSIM", "90% accuracy on Y": the words after the number lead to its benchmark
            announcement = _ANNOUNCES_DATA.match(text[num.end():num.end() + 60])
            data_after = next((m for m in after if m.label_ in DATA_TYPES), None)
            announced = announcement is not None and data_after is not None and re.fullmatch(
                r"(?:the\s+)?", text[num.end() + announcement.end():data_after.start_char - sent.start_char]) is not None
            # a benchmark named before the number may set the scene ("On X, ... 61%"); one after it
            # must be in its clause ("57% for PPO, and it also holds up on Y": not Y's)
            benches = [m for m in data if m.end_char - sent.start_char <= num.start() or
                       _same_clause(text[num.end():m.start_char - sent.start_char])]
            bench = _nearest(benches, num.start() + sent.start_char, num.end() + sent.start_char,
                             prefer_after=announced)
            # "on nuScenes and Argoverse 2, X reaches 75% ...": a result reported on two benchmarks
            # is two results (typology); "..., respectively" pairs them instead
            listed = _list_of(text, bench, data, sent.start_char) \
                if bench is not None and bench.end_char - sent.start_char <= num.start() and not respective else [bench]
            if bench is None and data:
                # the sentence's one benchmark, or its one list of them, named past the clause
                # ("38.1 for De-En and 42.5 for En-De on X", "up to 63% ... in the DMC and Meta-World tasks")
                one_list = _list_of(text, data[0], data, sent.start_char)
                if {m.kb_id_ for m in one_list} == {m.kb_id_ for m in data} and (len(one_list) == 1 or not respective):
                    listed = one_list
            owner = _owner(text, num, after, sent.start_char)
            subject = owner.kb_id_ if owner is not None else \
                _result_subject(text, [m for m in before if m.label_ in SYSTEM_TYPES], sent.start_char, head, num.start(), own)
            for bench in listed:
                out.append(ResultHit(subject, bench.kb_id_ if bench else None, metric.kb_id_ if metric else None,
                                     value, _score_number(num), _score_unit(num), sent.start_char, sent.end_char,
                                     "results.number"))
        return _respectively(text, ms, out, sent.start_char)


def _list_of(text: str, mention: Span, names: list[Span], offset: int) -> list[Span]:
    """The names of the list ``mention`` stands in ("HICO-DET and V-COCO"), in order, one per
    entity; ``[mention]`` when it stands alone. ``names`` are in text order."""
    i = names.index(mention)
    first = last = i
    while first > 0 and _NAME_LIST_GAP.fullmatch(text, names[first - 1].end_char - offset, names[first].start_char - offset):
        first -= 1
    while last + 1 < len(names) and _NAME_LIST_GAP.fullmatch(text, names[last].end_char - offset,
                                                              names[last + 1].start_char - offset):
        last += 1
    return list({m.kb_id_: m for m in names[first:last + 1]}.values())


def _owner(text: str, num: re.Match, after: list[Span], offset: int) -> Span | None:
    """The system named right after a number as its owner ("57% for PPO")."""
    m = after[0] if after else None
    if m is not None and m.label_ in SYSTEM_TYPES and _OWNED_BY.fullmatch(text, num.end(), m.start_char - offset):
        return m
    return None


_OWNED_BY = re.compile(r"\s*(?:for|by|of|from)\s+(?:the\s+)?")


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    """The last match of ``pattern`` in ``text``, or None.

    >>> _last_match(re.compile(r"\\d"), "a1b2").group(0)
    '2'
    """
    last = None
    for last in pattern.finditer(text):
        pass
    return last


def _respectively(text: str, ms: list[Span], results: list[ResultHit], offset: int = 0) -> list[ResultHit]:
    """Pair the numbers of a "..., respectively" sentence with the benchmarks (or metrics) it
    lists, in order, when it lists as many as it gives numbers ("on IMDB, Yelp13, and Yelp14,
    ... gains of 0.6%, 1.2%, and 0.9%, respectively").

    >>> r = ResultHit("PAPER", "Yelp14", None, "0.6%", "0.6", "%", 0, 9, "results.number")
    >>> _respectively("no such word", [], [r]) == [r]
    True
    """
    end = text.lower().rfind("respectively")  # sentence_results expands no list when it finds one
    if end < 0 or len(results) < 2:
        return results
    for labels, field in ((DATA_TYPES, "benchmark"), (("Metric",), "metric")):
        names: list[str] = []
        for m in ms:
            if m.label_ in labels and m.kb_id_ not in names and m.end_char - offset <= end:
                names.append(m.kb_id_)
        if len(names) == len(results):
            results = [replace(r, **{field: n}) for r, n in zip(results, names)]
    return results


_DIGIT = re.compile(r"\d")
#: words that report a measure without a number ("improves accuracy on X", "metrics such as")
_MEASURING = re.compile(starting_with("metrics measured in improve outperform surpass achieve".split())
                        + r"\b(?:metrics?|measured|in terms of|improv\w*|outperform\w*|surpass\w*|achiev\w*)\b", re.I)
#: the words before a number that give it to what the result is compared with
_BASELINE_NUMBER = re.compile(r"\b(?:vs\.?|versus|compared (?:to|with))\s*$", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)
#: the statistic right before a number: a p-value or a sample size ("p < 0.001", "p-value of 0.02", "n = 40")
_STATISTIC = re.compile(r"(?:(?<![\w-])[pn]\s*\$?\s*(?:[<>=\u2264\u2265]|\\[lg]eq?)|\bp-values?(?:\s+of)?(?:\s*[<>=])?)\s*\$?\s*$")
#: ", from 16.38 to ": the start of a change, right before the number it ended at
_FROM_TO = re.compile(r"\s*,?\s*from\s+[+\-\u2212~]?\d[\d.,]*\s*(?:%|percent)?\s+to\s+$", re.I)
_TO_NUMBER = re.compile(r"\s*(?:%|percent)?\s*to\s+[+\-\u2212~]?\d")
_RESULT_VERB = re.compile(r"\b(achiev|reach|attain|score|improv|outperform|surpass|reduc|increas|obtain|"
                          r"gain|boost|set|yield|faster|slower|higher|lower|fewer|better|speed-?up|accelerat|"
                          r"exceed|deliver|maintain|retain|match)\w*", re.I)
#: a number as a result states it: a sign (U+2212 minus too), a spread ("88.1 ± 0.3"), a range
#: ("7-14%", "+23.2%-63.7%") and a unit; the first number is the value's number
#: LaTeX that arXiv abstracts keep ("52.51\\%", "2.61$\\times$", "$\\pm$") is read as the sign it stands for
_SCORE = re.compile(r"(?<![\w.])(?P<sign>[+\-\u2212]|~)?(?P<number>\d+(?:\.\d+)?)"
                    r"(?:\s?\\?%?\s?(?:\u00b1|\+/-|\+-|\$?\\pm\$?)\s?\d+(?:\.\d+)?)?"
                    r"(?:\s?\\?%?\s?[-\u2013]\s?\d+(?:\.\d+)?)?"
                    r"(?:\s?(?P<unit>\\?%|percent|per\s?cent|x|\u00d7|\$?\\times\$?|times|fold|pp|points?|Hz|FPS|ms|seconds?|"
                    r"minutes?|hours?|days?))?(?![\w])")


def _score_number(num: re.Match) -> str:
    """The number of a score as a signed decimal ("\u22125.2" and "-5.2" give "-5.2").

    >>> [_score_number(m) for m in _SCORE.finditer("\u22125.2 points, +3.1%, 88.1\u00b10.3")]
    ['-5.2', '3.1', '88.1']
    """
    return ("-" if num.group("sign") in ("-", "\u2212") else "") + num.group("number")


_LATEX_SIGNS = ((re.compile(r"\$?\\times\$?"), "\u00d7"), (re.compile(r"\$?\\pm\$?"), "\u00b1"),
                (re.compile(r"\\%"), "%"))


def _written(num: re.Match) -> str:
    """A score as the value of a result: as written, with LaTeX signs as the signs they stand for.

    >>> [_written(m) for m in _SCORE.finditer(r"52.51\\% and 2.61$\\times$, 3.1 $\\pm$ 0.2")]
    ['52.51%', '2.61\u00d7', '3.1 \u00b1 0.2']
    """
    value = num.group(0).strip()
    if "\\" in value:
        for latex, sign in _LATEX_SIGNS:
            value = latex.sub(sign, value)
    return value


def _score_unit(num: re.Match) -> str | None:
    """The unit of a score; a percent sign anywhere in it, or the word, makes a percentage
    ("90.2 \u00b1 0.4%", "7-14%", "70 percent").

    >>> [_score_unit(m) for m in _SCORE.finditer("90.2 \u00b1 0.4%, 0.81, 3x, 70 percent")]
    ['%', None, 'x', '%']
    >>> [_score_unit(m) for m in _SCORE.finditer(r"70\\%, 2.61$\\times$")]
    ['%', '\u00d7']
    """
    unit = num.group("unit")
    if unit is not None and unit.startswith(("per", "\\%")):
        return "%"
    if unit is not None and "times" in unit and unit != "times":
        return "\u00d7"
    return unit or ("%" if "%" in num.group(0) else None)


_RATIO_UNITS = {"%", "x", "\u00d7", "times", "fold", "pp", "point", "points"}


def _bound_metric(text: str, num: re.Match, before: list[Span], after: list[Span], offset: int,
                  inside: list[Span] = ()) -> Span | None:
    """The metric a number belongs to: its own unit ("150 FPS"), the one right after it
    ("88.1 PDMS", "90% accuracy"), else the nearest before it in the same clause ("an F1 score
    of 0.82"). A comma, a semicolon or an "and" ends the clause: in "an F1 score of 0.82, hamming
    loss of 0.04", 0.04 is no F1."""
    own = next((m for m in inside if m.label_ == "Metric"), None)
    if own is not None:
        return own
    nxt = next((m for m in after if m.label_ == "Metric"), None)
    if nxt is not None and re.fullmatch(r"\s*(?:(?!(?:and|or|of|for|on|in|with|than|to|by|vs)\b)[\w-]+\s+)?",
                                        text[num.end():nxt.start_char - offset]):
        return nxt  # "88.1 PDMS", "90% top-1 accuracy"; not "0.04 and recall"
    for m in reversed(before):
        if m.label_ == "Metric":
            # "on BLEU-4, from 16.38 to 22.62": the change it went through is an aside of its clause
            gap = _FROM_TO.sub("", text[m.end_char - offset:num.start()])
            if _same_clause(gap):
                return m
            break
    if nxt is not None and nxt.start_char - offset - num.end() < 40 and _same_clause(text[num.end():nxt.start_char - offset]):
        return nxt  # "by 16.5% in absolute task success rate"
    return None


#: what stands between two numbers of one list ("14.4%, 15.4%, and 14.9%"; "59% and 28%")
_NUMBER_LIST_GAP = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|\s(?:and|or)\s+)")
#: what stands between two names of one list ("precision, recall, and F1")
_NAME_LIST_GAP = re.compile(_NUMBER_LIST_GAP.pattern + r"(?:the\s+)?")
#: what leads from a number to the list of metrics it and its list belong to, respectively
#: ("... higher detection precision, recall and F1", "... for precision, recall and F1")
_LEADS_TO_METRICS = re.compile(r"\s*(?:(?:in|for|on)\s+)?(?:(?:the|higher|lower|better|absolute|relative|"
                               r"average|detection|gains?|improvements?)\s+){0,3}(?:(?:in|for|on)\s+)?(?:the\s+)?")
#: what lets a number continue the previous one's metric: a list, with at most a short
#: phrase saying where the previous one holds ("38.1 for De-En and 42.5", "+8.6% mAP gain on
#: rare categories and +4.4%")
_CONTINUES = re.compile(r"(?:\s+[a-z-]+)?(?:\s+(?:on|for|in|at)\s+(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})?"
                        r"(?:\s*,\s*(?:and|or)?|\s+(?:and|or|while|whereas|vs\.?|versus))\s+"
                        r"(?:(?:by|to)\s+)?(?:(?:only|up to|about|around|nearly|almost)\s+)?", re.I)
#: "... by 59%": how a comparison states its margin
_MARGIN = re.compile(r"\b(?:outperform\w*|surpass\w*|exceed\w*|beat\w*|improv\w*|boost\w*|increas\w*|"
                     r"reduc\w*|lower\w*|rais\w*)\b[^.;:]*\bby\s+(?:(?:up to|about|around|nearly|almost)\s+)?$", re.I)
_SPEED_UNITS = {"x", "\u00d7", "times", "fold"}


def _shared_metrics(text: str, numbers: list[tuple[re.Match, Span | None, str]], metrics: list[Span],
                    offset: int) -> list[Span | None]:
    """Each number's metric, once the numbers of one sentence share what they say between them:

    * a list of numbers followed by a list of as many metrics takes them in order ("14.4%,
      15.4% and 14.9% higher precision, recall and F1": respectively);
    * a list of numbers without metrics right after as many numbers with as many metrics takes
      them in order ("ATE by 14.3% and RTE by 11.4% on X, and by 52.8% and 41.3% on Y");
    * a number without a metric or a qualifier of its own continues the previous number's
      metric when it follows it in a list ("a BLEU score of 38.1 for De-En and 42.5 for En-De");
    * a margin ("outperforms X by 59%") without a metric takes the sentence's one metric, when
      the sentence names one and it comes first ("a success rate of 84%, and outperforms X by 59%").

    A speed-up ("2.3x") keeps no metric it is not given: it measures something else.
    """
    out = [metric for _, metric, _ in numbers]
    runs = _number_runs(text, [num for num, _, _ in numbers])
    for i, j in runs:  # respective lists
        if j > i:
            run = range(i, j + 1)
            last_end = numbers[j][0].end()
            following = [m for m in metrics if m.start_char - offset >= last_end]
            if following and _LEADS_TO_METRICS.fullmatch(text, last_end, following[0].start_char - offset):
                listed = [following[0]]
                for m in following[1:]:
                    if not _NAME_LIST_GAP.fullmatch(text, listed[-1].end_char - offset, m.start_char - offset):
                        break
                    listed.append(m)
                if len(listed) == len(run) and len({m.kb_id_ for m in listed}) == len(listed):
                    for k, m in zip(run, listed):
                        out[k] = m
    for i, j in runs:  # parallel lists: "A by 14.3% and B by 11.4% on X, and by 52.8% and 41.3% on Y"
        size = j - i + 1
        earlier = out[i - size:i] if i >= size else []
        if size > 1 and all(out[k] is None and numbers[k][2] == _written(numbers[k][0]) for k in range(i, j + 1)) \
                and all(earlier) and len({m.kb_id_ for m in earlier}) == size:
            out[i:j + 1] = earlier
    names = {m.kb_id_ for m in metrics}
    for k, (num, _, value) in enumerate(numbers):
        if out[k] is not None or value != _written(num) or _score_unit(num) in _SPEED_UNITS:
            continue
        if k and out[k - 1] is not None:
            prev_num, prev_metric = numbers[k - 1][0], out[k - 1]
            start = max(prev_num.end(), prev_metric.end_char - offset)
            if start <= num.start() and _CONTINUES.fullmatch(text, start, num.start()):
                out[k] = prev_metric
                continue
        if len(names) == 1 and metrics[0].end_char - offset <= num.start() and _MARGIN.search(text[:num.start()]):
            out[k] = metrics[0]
    return out


def _number_runs(text: str, numbers: list[re.Match]) -> list[tuple[int, int]]:
    """The first and last index of each run of numbers written as one list ("14.3% and 11.4%").

    >>> _number_runs("1.5, 2.5 and 3.5 then 4.5", list(re.finditer(r"\\d\\.\\d", "1.5, 2.5 and 3.5 then 4.5")))
    [(0, 2), (3, 3)]
    """
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and _NUMBER_LIST_GAP.fullmatch(text, numbers[j].end(), numbers[j + 1].start()):
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


def _same_clause(gap: str) -> bool:
    """Whether the words between a name and a number keep them in one clause.

    >>> _same_clause(" score of "), _same_clause(" of 0.82, hamming loss of "), _same_clause(" and runs at ")
    (True, False, False)
    """
    return len(gap) < 60 and not re.search(r"[,;]|\band\b|\bwhile\b|\bwhereas\b", gap)


def _is_score(num: re.Match, metric: Span | None) -> bool:
    """A ratio, a percentage or a decimal is a score; a whole number with a unit of time or rate
    only next to its metric; a bare whole number (a count, a year) never."""
    unit = _score_unit(num)
    if unit in _RATIO_UNITS or "." in num.group("number") or num.group("sign") in ("+", "\u2212"):
        return True  # a ratio, a decimal, or a signed change ("+11 points", "\u22125")
    return unit is not None and metric is not None
#: the words after a number that announce its benchmark: "88.1 PDMS on NAVSIM", "92% accuracy in"
_ANNOUNCES_DATA = re.compile(r"^\s*\)?\s*(?:[\w%-]+\s+){0,3}(?:on|in|across|for)\s", re.I)


def _nearest(candidates: list[Span], start: int, end: int, prefer_after: bool) -> Span | None:
    """The candidate closest to a number; one named right after it ("88.1 PDMS on NAVSIM")
    wins when the words after the number announce it."""
    if prefer_after:
        following = [m for m in candidates if m.start_char >= end]
        if following:
            return following[0]
    return min(candidates, key=lambda m: m.start_char - end if m.start_char >= end else start - m.end_char,
               default=None)


_COMPARISON = re.compile(r"\b(outperform\w*|surpass\w*|beat\w*|exceed\w*|than|over|compared|versus|vs\.?|improv\w*)\b", re.I)


def _result_subject(text: str, systems_before: list[Span], offset: int, head: str, number_start: int,
                    own: frozenset[str] = frozenset()) -> str:
    """Whose number it is (``number_start``: its offset in ``text``, the sentence):

    * the sentence's first Method/Model when a comparison stands between it and the nearest
      ("OpenVLA outperforms RT-2-X by 16.5%": OpenVLA's);
    * else the nearest, when the number is attached to it ("UniAD at 83.4", "X reaches 84.0");
    * else what the paper proposes, when named before the number; else the first Method/Model
      when it opens the sentence;
    * else the paper's own method, or PAPER ("... enhance co-training, outperforming prior methods
      by 10.4%": not co-training's).
    """
    if not systems_before:
        return head
    first, nearest = systems_before[0], systems_before[-1]
    if nearest is not first and _COMPARISON.search(text[first.end_char - offset:nearest.start_char - offset]):
        return first.kb_id_
    gap = text[nearest.end_char - offset:number_start]
    if len(gap.split()) <= 4 and not re.search(r"[,;]", gap) and not _COMPARISON.search(gap):
        return nearest.kb_id_
    named_own = [m for m in systems_before if m.kb_id_ in own]
    if named_own:
        return named_own[-1].kb_id_
    if len(text[:first.start_char - offset].split()) <= 3:
        return first.kb_id_
    return head


def _is_modifier(doc: Doc, mention: Span, later: list[Span]) -> bool:
    """A mention that modifies the next word ("CNN-based", "Transformer Diffusion Policies")."""
    after = doc_text(doc)[mention.end_char:mention.end_char + 12]
    if re.match(r"-(based|style|like|driven)\b", after):
        return True
    return bool(later) and later[0].start_char - mention.end_char <= 1 and later[0].label_ == mention.label_


def _continues_list(text: str, previous: Span, mention: Span) -> bool:
    """Whether ``mention`` follows ``previous`` in a list ("CALVIN and LIBERO", "A, B, or C"),
    or names an example of it ("sparse attention methods (e.g., MInference", "benchmarks
    such as CALVIN"): either way, what is said of the one is said of the other."""
    gap = text[previous.end_char:mention.start_char]
    return _LIST_GAP.fullmatch(gap) is not None or _EXAMPLE_GAP.fullmatch(gap) is not None


#: what comes between a system's name and a family named in its description: ", a" or ": An"
#: and at most six modifiers, none a word that ends the description ("for", "with", "that")
_DESCRIBED_AS = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?[,:]\s*(?:a|an)\s+(?:(?!(?:for|with|that|which|to|via|by|in|"
                           r"on|of|and|or|from|using|the|is|are)\b)[\w+./-]+\s+){0,6}", re.I)
_LIST_GAP = re.compile(r"\s*(?:\)\s*)?(?:,|,?\s*(?:and|or|as well as))\s*(?:the\s+|on\s+|in\s+)?")
#: at most two words of the class ("methods", "prior baselines"), then "(e.g.," or "such as"
_EXAMPLE_GAP = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:[\w-]+\s*)?(?:\(\s*|,\s*)?"
                          r"(?:e\.g\.|i\.e\.|such as|including|like|namely)[,:]?\s*(?:the\s+)?", re.I)


def _speaks_of_evaluation(view: PaperView, m: EntityMention) -> bool:
    """Whether the sentence of a mention of data reports or names an evaluation: an evaluation
    word, a number ("obtains a 61% win rate"), or the data opening it ("On CIFAR-10, ...")."""
    i = view.sentence_of(m.start)
    s0, s1 = view.sentence(i)
    return _EVALUATION.search(view.text, s0, s1) is not None or view.sentence_flags(i)[1] or \
        _DATA_OPENING.fullmatch(view.text, s0, m.start) is not None


#: the words a sentence opens with before the data it reports on ("On CIFAR-10, ...")
_DATA_OPENING = re.compile(r"\s*(?:On|In|Across)\s+(?:the\s+)?")


def _leads_title(m: Span, title_name: tuple[int, int] | None) -> bool:
    """Whether a mention is the name its paper's title leads with (``title_name``: its span)."""
    return m.id_ == "names.title" or (title_name is not None and (m.start_char, m.end_char) == title_name
                                      and m.label_ in OWN)


_OWN_DATA_RULE = "relations.evaluatedOn.own_data"


def _evaluated_on_own_data(doc: Doc, sentences: list[tuple[Span, list[Span]]], proposes: list[str], head: str,
                           types: dict[str, str]) -> list[RelationHit]:
    """The named systems a paper that contributes a benchmark or dataset (and no system of its
    own: ``head`` is PAPER, :func:`main_head`) evaluates, each evaluatedOn that benchmark: "We
    introduce XBench ... we evaluate proprietary LLMs including GPT-4o and o4-mini" (typology: a
    benchmark paper's evaluated systems are evaluatedOn it, its other statements have PAPER as
    head). ``types``: each name's type, as main_head read them."""
    data = next((p for p in proposes if types.get(p) in DATA_TYPES), None)
    if data is None or head != PAPER:
        return []  # a paper with a system of its own evaluates that system on its data
    data_named = {m.kb_id_ for _sent, ms in sentences for m in ms if m.label_ in DATA_TYPES}
    conf = confidence(_OWN_DATA_RULE, 0.6)
    text = doc_text(doc)
    out = []
    for sent, ms in sentences:
        verb = _WE_EVALUATE.search(text, sent.start_char, sent.end_char)
        if verb is None:
            continue
        out.extend(RelationHit(m.kb_id_, "evaluatedOn", data, sent.start_char, sent.end_char, conf, _OWN_DATA_RULE)
                   for m in ms if m.start_char >= verb.end() and m.label_ in SYSTEM_TYPES and m.kb_id_ not in proposes
                   and m.kb_id_ not in data_named)
    return out


def _title_name_span(doc: Doc) -> tuple[int, int] | None:
    """Character span of a title's leading name ("OpenVLA" in "OpenVLA: An Open ..."), if any."""
    title = doc_text(doc).split("\n\n", 1)[0] if "\n\n" in doc_text(doc) else ""
    m = re.match(r"^(?:The\s+)?([^:]{1,60}?)\s*:", title)
    if not m:
        return None
    start = m.start(1)
    name = m.group(1)
    adverb = re.match(r"^\w+ly\s+", name)  # "Provably Robust DPO" names "Robust DPO"
    if adverb:
        start, name = start + adverb.end(), name[adverb.end():]
    return start, start + len(name)


def _dedupe(hits: list[RelationHit]) -> list[RelationHit]:
    """One hit per relation, the most confident; and no ``uses`` where the same head is basedOn
    the same tail: what a system builds on it also uses, and the typology states the stronger."""
    seen: dict[tuple[str, str, str], RelationHit] = {}
    for h in hits:
        k = (h.head, h.type, h.tail)
        if k not in seen or seen[k].confidence < h.confidence:
            seen[k] = h
    return [h for h in seen.values() if not (h.type == "uses" and (h.head, "basedOn", h.tail) in seen)]


def paper_view(doc: Doc, mentions: list[Span]) -> PaperView:
    """The plain view of a Doc that :mod:`kg.nlp.relation_model` reads."""
    text = doc_text(doc)
    pos = title_break(text)
    return PaperView(text, [(s.start_char, s.end_char) for s in doc_sentences(doc)],
                     [EntityMention(m.start_char, m.end_char, m.kb_id_, m.label_) for m in mentions],
                     pos + 2 if pos >= 0 else 0)


def _named_as_family_only(view: PaperView, name: str) -> bool:
    """Whether every mention of ``name`` is the family an apposition gives another name ("apply
    dDPO, a variant of Direct Preference Optimization (DPO)"), the short form in brackets after its
    long form included."""
    mentions = sorted(view.of_name(name), key=lambda m: m.start)
    if not mentions:
        return False
    for i, m in enumerate(mentions):
        if _FAMILY_OF_ANOTHER.search(view.text, max(0, m.start - 80), m.start):
            continue
        if i and re.fullmatch(r"\s*\(\s*", view.text[mentions[i - 1].end:m.start]):
            continue  # the short form defined right after a long form that the apposition names
        return False
    return True


def _lower_case_family(lexicon: Lexicon, name: str) -> bool:
    """Whether ``name`` is a lexicon entry written in lower case: a family or a field
    ("graph autoencoder", "curriculum learning"), which papers describe their systems with."""
    entry = lexicon.lookup_as_written(name)
    return entry is not None and entry.name == name and entry.name == entry.name.lower()


def _written_as_family(lexicon: Lexicon, name: str, mentions: list[Span]) -> bool:
    """Whether ``name`` is a lexicon Method the paper writes only in lower case outside its title:
    a family its system is described with ("we introduce a multi-scale temporal transformer"),
    not a name (names keep their capitals: DPO, Llama 2, Decision Transformer).

    >>> import spacy
    >>> doc = spacy.blank("en")("We introduce a multi-scale temporal transformer.")
    >>> _written_as_family(load_lexicon(), "Transformer", [Span(doc, 5, 6, "Method", kb_id="Transformer")])
    True
    """
    entry = lexicon.lookup(name)
    if entry is None or entry.type != "Method":
        return False
    title_end = title_break(doc_text(mentions[0].doc)) if mentions else -1
    body = [m for m in mentions if m.kb_id_ == name and m.start_char > title_end]
    return bool(body) and all(span_text(m).islower() for m in body)


def main_head(proposes: list[str], types: dict[str, str]) -> str:
    """The head of the paper's own statements: the first proposed method or model, else PAPER
    (typology: a paper that proposes only a dataset or benchmark states them as PAPER).

    >>> main_head(["HalyardBench", "Halyard"], {"HalyardBench": "Benchmark", "Halyard": "Method"})
    'Halyard'
    >>> main_head(["HalyardBench"], {"HalyardBench": "Benchmark"})
    'PAPER'
    """
    return next((p for p in proposes if types.get(p) in SYSTEM_TYPES), PAPER)


def _own_system_of(view: PaperView, s0: int, s1: int, head: str, own: set[str], types: dict[str, str]) -> str:
    """Who an evaluation the sentence ``s0:s1`` reports is of: the paper's main system, unless the
    sentence names another system the paper proposes and not the main one ("Experiments on
    ShapeNetViPC demonstrate the superiority of PGNet" in a paper that first proposes a paradigm)."""
    if head == PAPER or len(own) < 2:
        return head
    named = {m.canonical for m in view.in_sentence(view.sentence_of(s0)) if m.start < s1}
    others = [n for n in named & own if n != head and types.get(n) in SYSTEM_TYPES]
    return others[0] if len(others) == 1 and head not in named else head


def _said_of_another(view: PaperView, tail: str, own: set[str]) -> bool:
    """Whether every sentence that names ``tail`` opens with another named system, its subject
    ("Llama 2-Chat is fine-tuned from Llama 2 ... supervised fine-tuning (SFT)")."""
    found = False
    for m in view.mentions:
        if m.canonical != tail:
            continue
        a, b = view.sentence(view.sentence_of(m.start))
        first = next((x for x in view.mentions if a <= x.start < b), None)
        if (first is None or first is m or first.canonical in own or first.type not in SYSTEM_TYPES
                or not _OPENING.fullmatch(view.text[a:first.start])):
            return False
        found = True
    return found


def _extends(name: str, head: str) -> bool:
    """Whether ``name`` is ``head`` with something added: a size, version or suffix variant.

    >>> _extends("Llama2-70B", "Llama 2"), _extends("Llama 2-Chat", "Llama 2"), _extends("MMLU", "Llama 2")
    (True, True, False)
    """
    n, h = name_key(name), name_key(head)
    return head != PAPER and len(h) >= 3 and n != h and n.startswith(h)


def _evidence_sentence(view: PaperView, tail: str, head: str, own: set[str]) -> tuple[int, int]:
    """The sentence that best supports a paper-level relation: one where the tail meets the head
    (or the authors' voice), else the tail's first mention."""
    spans = [view.sentences[view.sentence_of(m.start)] for m in view.mentions if m.canonical == tail]
    for a, b in spans:
        if any(m.canonical in own | {head} and a <= m.start < b for m in view.mentions) or \
                re.search(r"\b(we|our)\b", view.text[a:b], re.I):
            return a, b
    return spans[0] if spans else (0, 0)


@Language.factory("kg_relations", default_config={"learned": True, "lexicon_dir": None, "models_dir": None,
                                                  "rules_dir": None},
                  assigns=["doc._.kg_proposes", "doc._.kg_relations", "doc._.kg_results"])
def make_relation_extractor(nlp: Language, name: str, learned: bool, lexicon_dir: str | None,
                            models_dir: str | None, rules_dir: str | None) -> RelationExtractor:
    """``rules_dir``: a folder with the word lists to use instead of the shipped ``ontology/rules``
    (the kind nouns, cost measures and campaigns of :class:`kg.nlp.names.NameRules`, the outside
    heads of :class:`kg.nlp.abbreviations.AbbreviationRules`)."""
    rules = {"name_rules": load_name_rules(rules_dir),
             "outside_heads": load_abbreviation_rules(rules_dir).outside_heads}
    if not learned:
        return RelationExtractor(lexicon=load_lexicon(lexicon_dir), **rules)
    return RelationExtractor(load_model(model_path(models_dir, "relations.json.gz")),
                             load_model(model_path(models_dir, "proposals.json.gz")), load_lexicon(lexicon_dir), **rules)
