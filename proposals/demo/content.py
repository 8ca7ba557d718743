"""What the demo's proposals are: the residents, their proposals and each one's way
through the group and the municipality, and the list of committees (proposals.demo loads
them). Swedish content, as residents and staff would write it."""

from dataclasses import dataclass

from allas.models import AgeBand

from ..models import Committee, MunicipalCase, Proposal

# A plausible list of Vimmerby kommun's committees and offices, as staff keep it in the
# admin; the municipality's own list is public.
COMMITTEES = [
    ("Kommunfullmäktige", Committee.Kind.COMMITTEE),
    ("Kommunstyrelsen", Committee.Kind.COMMITTEE),
    ("Barn- och utbildningsnämnden", Committee.Kind.COMMITTEE),
    ("Socialnämnden", Committee.Kind.COMMITTEE),
    ("Miljö- och byggnadsnämnden", Committee.Kind.COMMITTEE),
    ("Kommunstyrelseförvaltningen", Committee.Kind.OFFICE),
    ("Samhällsbyggnadsförvaltningen", Committee.Kind.OFFICE),
    ("Barn- och utbildningsförvaltningen", Committee.Kind.OFFICE),
    ("Socialförvaltningen", Committee.Kind.OFFICE),
]

# Where the minutes of each committee are published, as the municipality's site names them.
MINUTES = "https://www.vimmerby.se/download/protokoll/{committee}-{day}.pdf"
MINUTES_NAMES = {
    "Kommunstyrelsen": "kommunstyrelsen",
    "Barn- och utbildningsnämnden": "barn-och-utbildningsnamnden",
}

Outcome = MunicipalCase.Outcome
Status = Proposal.Status


@dataclass(frozen=True)
class Step:
    """One step of a proposal's way, `days` before today."""

    days: int
    text: str = ""


@dataclass(frozen=True)
class Path:
    ort: str
    title: str
    body: str
    goal: str
    author: str  # a demo resident's address
    submitted: int  # days before today
    answer: tuple[int, str, str] | None = None  # (days, status, the group's answer)
    action: str = ""  # the title of the action in the ort's plan the answer links
    lift: Step | None = None  # the group's motivation
    register: tuple[int, str, str, str] | None = None  # (days, case number, committee, contact)
    decide: tuple[int, str, str, str] | None = None  # (days, outcome, summary, committee)
    correction: tuple[str, str] | None = None  # (the right committee, why) after registering


# The three residents from load_demo, and one more in each of the other orter.
RESIDENTS = [
    ("boende.frodinge@allas.example", "Maria", "frodinge", AgeBand.AGE_30_49),
    ("boende.gullringen@allas.example", "Johan", "gullringen", AgeBand.AGE_18_29),
    ("boende.rumskulla@allas.example", "Karin", "rumskulla", AgeBand.AGE_65_PLUS),
    ("boende.tuna@allas.example", "Lars", "tuna", AgeBand.AGE_30_49),
    ("boende.pelarne@allas.example", "Elin", "pelarne", AgeBand.AGE_50_64),
    ("boende.locknevi@allas.example", "Anders", "locknevi", AgeBand.AGE_50_64),
    ("boende.vimmerby@allas.example", "Eva", "vimmerby", AgeBand.AGE_18_29),
]

PATHS = [
    # Lifted, waiting for the department to register it: raised at the workshop, where
    # the group decided to take it to the municipality (meetings.dialogue.demo).
    Path(
        "storebro",
        "Belysning längs cykelvägen till skolan",
        "Det är mörkt på kvällarna.",
        "kontakt",
        "boende1@allas.example",
        submitted=45,
        answer=(37, Status.UNDER_REVIEW, "Vi tar upp förslaget på nästa möte."),
        lift=Step(
            14,
            "Belysningen var det som flest prioriterade på vår workshop. Gång- och "
            "cykelvägen är kommunens, så det är kommunen som kan sätta upp lamporna.",
        ),
    ),
    # Registered, waiting for the decision; registered first with the wrong committee.
    Path(
        "sodra-vi",
        "Fler bänkar vid badplatsen",
        "Äldre vill kunna vila på vägen ner.",
        "trivas",
        "boende2@allas.example",
        submitted=120,
        answer=(
            102,
            Status.ACCEPTED,
            "Gruppen står bakom förslaget. Badplatsen sköts av kommunen, så vi lyfter det dit.",
        ),
        lift=Step(98, "Många äldre i Södra Vi vill kunna gå ner till badplatsen själva."),
        register=(91, "KS {year}/87", "Kommunstyrelsen", "Parkingenjör"),
        correction=(
            "Samhällsbyggnadsförvaltningen",
            "Ärendet handläggs av samhällsbyggnadsförvaltningen, inte av kommunstyrelsen.",
        ),
    ),
    # Still waiting for the group's answer, for longer than 30 days.
    Path(
        "djursdala",
        "Gemensam bokbytarhylla i bygdegården",
        "Ett enkelt sätt att mötas.",
        "motas",
        "boende3@allas.example",
        submitted=60,
    ),
    Path(
        "frodinge",
        "Övergångsställe vid Frödinge skola",
        "Barnen korsar vägen vid skolan där bilarna kör fort. Ett övergångsställe med "
        "belysning skulle göra skolvägen tryggare.",
        "leva",
        "boende.frodinge@allas.example",
        submitted=210,
        answer=(198, Status.ACCEPTED, "Gruppen står bakom förslaget och lyfter det till kommunen."),
        action="Tryggare skolväg",
        lift=Step(195, "Föräldrar och skolan har länge bett om det. Vägen är kommunens."),
        register=(190, "KS {year}/41", "Kommunstyrelsen", "Trafikingenjör"),
        decide=(
            130,
            Outcome.GRANTED,
            "Kommunstyrelsen biföll förslaget. Kommunen bygger ett upphöjt övergångsställe "
            "med belysning vid Frödinge skola under sommarlovet.",
            "Kommunstyrelsen",
        ),
    ),
    # Answered late: more than 30 days after it came in.
    Path(
        "gullringen",
        "Utegym vid idrottsplatsen",
        "Ett utegym som alla kan använda gratis, året runt.",
        "trivas",
        "boende.gullringen@allas.example",
        submitted=180,
        answer=(138, Status.ACCEPTED, "Vi har pratat med idrottsföreningen och vill gå vidare."),
        action="Utegym vid idrottsplatsen",
        lift=Step(133, "Idrottsföreningen sköter platsen men marken är kommunens."),
        register=(128, "KS {year}/112", "Kommunstyrelsen", "Fritidskonsulent"),
        decide=(
            70,
            Outcome.PARTLY_GRANTED,
            "Kommunstyrelsen biföll förslaget delvis. Kommunen betalar tre stationer till "
            "utegymmet. Föreningen kan söka bidrag för fler.",
            "Kommunstyrelsen",
        ),
    ),
    Path(
        "rumskulla",
        "Meröppet bibliotek i Rumskulla",
        "Att kunna låna böcker på kvällar och helger, med lånekortet som nyckel.",
        "verka",
        "boende.rumskulla@allas.example",
        submitted=160,
        answer=(135, Status.ACCEPTED, "Gruppen tycker att förslaget är bra och lyfter det."),
        lift=Step(130, "Biblioteket är ortens enda öppna lokal på vardagarna."),
        register=(126, "KS {year}/118", "Kommunstyrelsen", "Bibliotekschef"),
        decide=(
            55,
            Outcome.REJECTED,
            "Kommunstyrelsen avslog förslaget. Meröppet kräver en ny entré och ett "
            "passersystem som inte ryms i årets budget. Frågan kan tas upp i nästa budget.",
            "Kommunstyrelsen",
        ),
    ),
    Path(
        "tuna",
        "Skolskjuts till fritids i Tuna",
        "Barn som går på fritids efter skolan har ingen buss hem.",
        "leva",
        "boende.tuna@allas.example",
        submitted=150,
        answer=(141, Status.ACCEPTED, "Gruppen lyfter frågan till kommunen."),
        lift=Step(139, "Flera familjer i Tuna har samma problem."),
        register=(
            136,
            "BUN {year}/31",
            "Barn- och utbildningsnämnden",
            "Skolskjutssamordnare",
        ),
        decide=(
            90,
            Outcome.ANSWERED,
            "Barn- och utbildningsnämnden besvarade förslaget. Kommunens regler ger inte "
            "skolskjuts från fritids, men nämnden ser över var bussen till Tuna skola stannar.",
            "Barn- och utbildningsnämnden",
        ),
    ),
    Path(
        "pelarne",
        "Fler turer med anropsstyrd trafik",
        "Kvällsturer skulle göra det möjligt att jobba i Vimmerby utan egen bil.",
        "arbeta",
        "boende.pelarne@allas.example",
        submitted=100,
        answer=(80, Status.UNDER_REVIEW, "Vi tar upp det på bygdemötet om vägen och bussen."),
    ),
    Path(
        "vimmerby",
        "Cykelparkering vid resecentrum",
        "Ett tak över cyklarna och ställ att låsa fast dem i.",
        "kontakt",
        "boende.vimmerby@allas.example",
        submitted=75,
        answer=(
            68,
            Status.DECLINED,
            "Kommunen bygger redan om resecentrum med ny cykelparkering, så gruppen driver "
            "inte förslaget vidare.",
        ),
    ),
    # Waiting for the answer, one for longer than 30 days and one not yet.
    Path(
        "locknevi",
        "Laddstolpe vid bygdegården",
        "Då kan besökare ladda bilen medan de är på möte eller fest.",
        "verka",
        "boende.locknevi@allas.example",
        submitted=40,
    ),
    Path(
        "vimmerby",
        "Fler sittplatser på Stora torget",
        "Bänkar i skuggan, så att fler orkar stanna på torget.",
        "motas",
        "boende.vimmerby@allas.example",
        submitted=12,
    ),
]
