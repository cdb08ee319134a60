"""Every word list the analysis reads: the one place to add a cue verb, a pronoun or a title.

Lists that look alike but hold different words stay apart on purpose: each is named for the one decision it
feeds, and merging them would change what the analysis finds. Lower case throughout.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of white-space separated words (long lists read and diff better than quoted literals)."""
    return frozenset(text.split())


# ---- Verbs and nouns that report speech (attribution.py, speakers/) ----

# Verbs (lemmas) that report speech outright: any subject they take is taken as the speaker.
SPEECH_LEMMAS = word_set(
    """
    say tell ask reply respond answer write tweet insist explain argue claim declare state announce warn
    acknowledge admit complain joke quip emphasize emphasise stress observe remark shout yell scream exclaim
    whisper mutter boast brag vow concede contend maintain assert allege retort testify proclaim recount
    lament muse scoff add note caution urge predict recall post chant cry plead beg sneer deny confirm
    interject opine snap shrug gush grumble thunder
    """
)
# Verbs that report speech or a stated view only with a subject able to speak ("the party should continue").
VIEW_LEMMAS = word_set(
    """
    continue call describe dub label term suggest agree thank quote read begin open close finish wonder
    demand repeat reiterate point signal indicate hint reveal disclose inform remind assure advise propose
    estimate guess think believe feel hope fear worry recommend promise pledge counter charge criticize
    criticise praise blast slam mock chide report conclude marvel question bemoan refer accuse dismiss rail
    riff exhort decry denounce condemn lambaste tout cite portray characterize characterise compare brand
    vent defend applaud hail welcome reject dispute challenge echo invoke summarize summarise sum
    """
)
CUE_LEMMAS = SPEECH_LEMMAS | VIEW_LEMMAS
# Phrasal verbs that report speech: "went on", "shot back", "chimed in".
PHRASAL_CUES: dict[str, tuple[str, ...]] = {
    "go": ("on",),
    "shoot": ("back",),
    "fire": ("back",),
    "hit": ("back",),
    "push": ("back",),
    "cut": ("in",),
    "chime": ("in",),
    "weigh": ("in",),
    "pipe": ("up", "in"),
    "lash": ("out",),
    "speak": ("out", "up"),
    "sum": ("up",),
    "spell": ("out",),
    "point": ("out",),
    "write": ("back",),
}
# Verbs of saying whose object is the hearer: in '“...,” told the senator' the senator did not speak.
HEARER_OBJECT_LEMMAS = word_set("tell ask answer urge warn beg")
# Verbs too empty to stand behind a scare quote in their clause ("the plan is “bold”").
LIGHT_VERB_LEMMAS = word_set("be have do get become seem")
# Nouns naming the vehicle of a statement; the speaker is whoever issued or made it.
STATEMENT_NOUNS = word_set(
    """
    statement tweet tweets post letter release interview remarks remark speech email message note memo
    video ad advertisement op-ed essay column communique communiqué briefing conference testimony
    """
)
# Common nouns for people and bodies that speak; other nouns cannot carry a view verb's attribution.
SPEAKING_NOUNS = word_set(
    """
    official officials spokesman spokeswoman spokesperson aide aides adviser advisers advisor advisors source
    sources lawyer lawyers attorney attorneys president senator senators candidate candidates campaign
    committee group groups people voter voters supporter supporters critic critics expert experts analyst
    analysts leader leaders director chairman chairwoman chair executive report statement government
    administration ministry department agency office party police prosecutor prosecutors judge court
    lawmaker lawmakers legislator legislators congressman congresswoman representative governor mayor
    secretary minister diplomat diplomats negotiator negotiators member members resident residents man woman
    men women father mother son daughter wife husband friend friends owner manager worker workers student
    students professor researcher researchers economist economists strategist strategists pollster pollsters
    operative operatives activist activists organizer organizers donor donors delegate delegates democrat
    democrats republican republicans nominee rival rivals opponent opponents author authors writer reporter
    reporters journalist journalists columnist editor editors commentator host anchor poll survey study
    company firm organization organisation union council board panel team staff chief head founder
    co-founder ceo officer officers spokesmen study paper article memo letter email ad website site account
    network newspaper magazine
    """
)
# What a sentence after a quote calls it, naming its owner without a verb: "That was Rosa Delgado's verdict."
WORDS_NOUNS = word_set(
    """
    verdict judgement judgment view answer response reply retort assessment take opinion conclusion advice
    warning message argument explanation prediction promise pledge boast complaint quip words word reaction
    diagnosis summary description reasoning position comment comments remark remarks plea appeal
    """
)
# "a statement from the ministry", "calculations by Amy Glasmeier": the prepositions that name a maker.
MAKER_PREPOSITIONS = word_set("by from")
# "a spokesman for the ministry": a phrase after these stays part of the speaker's noun phrase.
SPEAKER_NP_PREPOSITIONS = word_set("for of at with from in")

# The word right before a quoted term that marks it as a term, not as words someone said: "so-called “X”".
SCARE_QUOTE_LEAD_WORDS = word_set("so-called called dubbed term word phrase slogan label nickname known as")

# ---- Pronouns: three tests of who can speak, two of gender ----

# A cue verb's subject may be any of these and still be a speaker ("it said", "who said").
CUE_SUBJECT_PRONOUNS = word_set("he she they i we it you who")
# A verb outside the cue lists ("barked", "questioned") reports a quote only with these pronoun subjects.
PERSONAL_SUBJECT_PRONOUNS = word_set("he she they we i")
# These speak only through a verb of saying other than "ask" ("it says", not "it believes").
SPEECH_ONLY_PRONOUNS = word_set("it you")
MALE_PRONOUNS = word_set("he him his himself")
FEMALE_PRONOUNS = word_set("she her hers herself")

# ---- People's names ----

# Honorifics tell a person and their gender; the dotted forms are how the tokenizer often keeps them.
MALE_HONORIFICS = word_set("mr mr. sir lord king prince")
FEMALE_HONORIFICS = word_set("ms ms. mrs mrs. miss madam lady queen princess dame")
# Common first names as a hint to gender where no honorific says it.
MALE_FIRST_NAMES = word_set(
    """
    donald joe bill barack george mike michael john james robert david richard paul mark chris christopher
    ted marco jeb ben bernie tim tom thomas steve steven kevin jeff jeffrey rand scott rick mitt newt dick
    chuck charles harry jim jimmy peter andrew eric brian ron ronald rudy mitch lindsey jason matt matthew
    daniel dan william patrick sean vladimir xi justin emmanuel boris kim jared rex reince stephen
    """
)
FEMALE_FIRST_NAMES = word_set(
    """
    hillary nancy elizabeth sarah kellyanne melania ivanka michelle carly nikki susan mary patricia jennifer
    linda barbara karen lisa maria anna angela theresa hope huma debbie donna kamala amy kirsten tulsi
    dianne jill laura ann anne jane julie kate katie margaret megyn hope betsy condoleezza madeleine
    """
)
# After a person's name and not part of it, when names are matched across articles ("Jr.", "III").
NAME_SUFFIXES = word_set("jr sr ii iii iv phd md esq")

# ---- Titles: four lists for four jobs; a new title ("undersecretary") usually belongs in each ----

# Dropped from the front of a mention to give the name it is clustered under: "President Trump’s" -> "Trump".
BARE_NAME_TITLES = word_set(
    """
    mr mr. ms ms. mrs mrs. miss dr dr. prof prof. president sen sen. senator rep rep. representative gov gov.
    governor secretary gen gen. general judge justice mayor speaker leader minister chancellor pope rev rev.
    vice former sir lord king queen prince princess chairman candidate
    """
)
# A title that makes the name after it a person's, whatever label the model gave it: "Dr. Brannock".
TITLES_MARKING_A_PERSON = word_set(
    """
    dr dr. prof prof. sen sen. senator rep rep. gov gov. governor president judge mayor rev rev. gen gen.
    """
)
# A capitalised chain before a name describes the person from the first of these on: "Secretary of State".
DESCRIPTION_TITLES = word_set(
    """
    president vice secretary senator sen rep representative governor gov mayor minister premier chancellor
    judge justice general gen admiral colonel col ambassador chairman chairwoman chair director speaker leader
    king queen prince princess pope dr professor prof chief commissioner attorney sheriff councilman
    councilwoman spokesman spokeswoman spokesperson ceo founder lt sgt captain capt
    """
)
# "Secretary of State": a department after an office title is part of the title, not an organisation.
OFFICE_TITLES = word_set("secretary minister department ministry undersecretary")
DEPARTMENTS = word_set(
    """
    state defense defence energy treasury commerce labor labour education agriculture interior
    transportation health justice finance housing veterans
    """
)
# Words that come before a person's name as a title or role, never as the name itself: dropped from the key
# that matches people across articles ("Secretary of State Mike Pompeo" = "Mike Pompeo").
PERSON_TITLES = word_set(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam
    president vice secretary state minister prime deputy foreign defense defence interior finance
    chancellor premier senator sen rep representative congressman congresswoman gov governor mayor
    gen general adm admiral lt col colonel maj major sgt capt captain cmdr commander
    judge justice chief attorney solicitor ambassador envoy commissioner director chairman chairwoman chair
    ceo cfo founder spokesman spokeswoman spokesperson adviser advisor aide press speaker leader
    majority minority house senate white national security homeland treasury commerce labor health energy
    former acting then late rev reverend father pope king queen prince princess sheikh emir ayatollah
    us u.s of the and for
    """
)

# ---- Things that are not people ----

# Heads that make a preceding name a place or a thing, not a person ("the Yongbyon enrichment facility").
THING_HEADS = word_set(
    """
    facility facilities site sites plant plants reactor reactors complex base missile missiles rocket rockets
    test tests region province county river airport port dam mine field launch center centre compound camp
    """
)

# ---- Titles of works in quote marks (quotes.looks_like_title) ----

# The word before a quoted title: 'on “This Week”', 'the book “Backfire”'.
WORK_TITLE_LEAD_WORDS = word_set(
    """
    on in book books show film movie podcast program programme album song novel series titled entitled
    memoir documentary play article headline column of and starred
    """
)
# The word after a quoted title: '“The Apprentice” star'.
WORK_TITLE_TRAIL_WORDS = word_set("star stars actor actress author host creator episode")
# Lower-case words a title in title case may still hold: "Of Mice and Men".
WORK_TITLE_SMALL_WORDS = word_set("a an the and or of for to in on at by with from as vs nor but")

# Words opening a clause of time ("after X called it “...”"): such a clause with a subject of its own has its
# own speaker, not the verb of saying it hangs on. Causes and conditions ("because", "if") are left out: they
# are usually part of what is reported.
CLAUSE_OF_TIME_WORDS = frozenset({"after", "as", "when", "whenever", "while", "before", "until", "once"})

# Speaking nouns for single people, never the group a "they" or an "it" stands for.
PERSON_NOUNS = word_set(
    """
    official spokesman spokeswoman spokesperson aide adviser advisor source lawyer attorney president senator
    candidate man woman father mother son daughter wife husband friend owner manager worker student professor
    researcher economist strategist pollster operative activist organizer donor delegate nominee rival
    opponent author writer reporter journalist columnist editor commentator host anchor chief head founder
    director chairman chairwoman chair executive leader critic expert analyst judge prosecutor lawmaker
    legislator congressman congresswoman representative governor mayor secretary minister diplomat negotiator
    member resident supporter voter
    """
)
# Singular nouns for bodies that may be a "they": "the campaign ... what they call".
GROUP_NOUNS = word_set(
    """
    campaign committee group company union council board panel team staff administration government party
    agency ministry department office organization organisation firm police court
    """
)
