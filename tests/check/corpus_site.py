# ruff: noqa: E501 - sentences of the fictional site's text, one per line
"""A precision-and-recall corpus for `check`: a fictional multi-location treatment provider,
"Juniper Hollow Wellness" (towns that do not exist, phone numbers +1-541-555-01xx, the
origin https://www.juniper-hollow.example), written as a folder of built HTML pages with
sitemap.xml, robots.txt and _redirects, the way a foreign site reaches the checker.

Most pages are clean: a title of 30-60 characters, a description of 70-160, one <h1>,
lang, viewport, a canonical URL that is the page's own, JSON-LD (MedicalClinic with name,
address, geo, opening hours and @id, all shown on the page; BreadcrumbList; FAQPage asking
the questions the page shows), tel: links in E.164, images with alt, width and height,
small image files, descriptive link text, links with trailing slashes that lead straight
to a page. Program pages at different locations have text of their own (different facts
and sentences), so that no two clean pages are near-duplicates or doorways.

Each other page (or site file) carries exactly one planted defect: it is a clean page of
the site with one change. `write_corpus` returns the list of them (`Defect`: rule, the URL
where the finding is expected, what was changed), which `score` compares with the
checker's findings: recall per rule, and false alarms (a finding on a clean page, or of
another rule than the one planted). A second variant (`preview=True`) is a preview build
of the clean site: every page says noindex but one.

Everything is deterministic (random.Random with fixed string seeds). `python
tests/check/corpus_site.py` (or bench/corpus.py) prints the table.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import random
import re
import struct
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from sitegen.model.sitemaps import MAX_SITEMAP_URLS

ORIGIN = "https://www.juniper-hollow.example"
SITE_NAME = "Juniper Hollow Wellness"
REGION = "OR"
MAIN_PHONE = "+15415550100"


def display(phone: str) -> str:
    """+15415550131 as (541) 555-0131."""
    return f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"


# --- the fictional organisation -------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    slug: str
    city: str
    street: str
    postal: str
    phone: str
    lat: float
    lon: float
    landmark: str
    transit: str
    parking: str
    district: str
    building: str
    park: str
    lead: str
    team: tuple[str, ...]
    notes: tuple[str, ...]  # sentences about this place alone ({city} is filled in)
    hours: tuple[str, ...] = ("Mo-Fr 08:00-18:00", "Sa 09:00-13:00")
    shown_hours: str = "Monday to Friday 8:00 to 18:00, Saturday 9:00 to 13:00"

    @property
    def name(self) -> str:
        return f"{SITE_NAME} {self.city}"

    @property
    def url(self) -> str:
        return f"/locations/{self.slug}/"

    @property
    def clinic_id(self) -> str:
        return f"{ORIGIN}{self.url}#clinic"


LOCATIONS = (
    Location(
        "maple-falls", "Maple Falls", "412 Orchard Lane", "97914", "+15415550131", 44.912, -122.981,
        "the old grain mill", "the Route 6 bus", "a free lot behind the building", "the riverfront district",
        "a restored two-story brick schoolhouse", "Alder Creek Park", "Dr. Imogen Salter",
        ("Nadia Brennan, LCSW", "Felix Ormond, CADC"),
        (
            "The clinic fills the old Maple Falls schoolhouse, and the group room still has the tall windows the children once looked out of.",
            "Most clients in {city} walk along the river path from the grain mill, which takes about ten minutes.",
            "On Thursdays the staff in {city} bring soup from the farmers' market across the street for the evening group.",
            "A quiet room upstairs is kept free for anyone who needs a few minutes alone before or after a session.",
        ),
    ),
    Location(
        "cedar-point", "Cedar Point", "88 Lighthouse Road", "97921", "+15415550142", 45.331, -123.902,
        "the ferry terminal", "the Route 12 bus", "street parking on Gull Street", "the harbor",
        "a former ship chandlery with big north-facing windows", "Breakwater Green", "Tomas Reyes, LCSW",
        ("Ingrid Halvorsen, PsyD", "Joel Matsuda, CADC"),
        (
            "Fishing families have come to the {city} clinic since it opened, and evening groups are timed around the boats coming in.",
            "From the ferry terminal it is a three-minute walk uphill; the building is the grey one with the brass ship's bell by the door.",
            "The {city} team runs a walking group along Breakwater Green when the weather allows, which is less often than anyone would like.",
            "Winter storms close the ferry a few days a year, and on those days sessions in {city} move to video without anyone having to ask.",
        ),
    ),
    Location(
        "willow-bend", "Willow Bend", "2300 Fennel Street", "97933", "+15415550153", 44.105, -121.774,
        "the county fairgrounds", "the Blue Line light rail", "a shaded garage under the public library",
        "the fairgrounds neighborhood", "a single-story clinic built around a courtyard garden",
        "Heronwood Commons", "Dr. Priya Lindqvist", ("Samuel Okonkwo, LMFT", "Rosa Delgado, RN"),
        (
            "The courtyard garden at {city} was planted by former clients, and the tomatoes in late summer are shared with whoever is in group that day.",
            "The Blue Line stops at Fairgrounds station, one block north of the clinic, every twelve minutes on weekdays.",
            "Because many people in {city} work shifts at the distribution center, the clinic keeps two evening tracks a week.",
            "Spanish-speaking counselors see clients in {city} every day the clinic is open.",
        ),
    ),
    Location(
        "aspen-ridge", "Aspen Ridge", "17 Summit Avenue", "97945", "+15415550164", 44.671, -121.208,
        "the ski lodge road", "the Ridge Shuttle", "a gravel lot that is plowed before opening in winter",
        "the upper town", "a timber-frame building with a wood stove in the group room",
        "the Larch Meadow trailhead", "Owen Achterberg, PMHNP", ("Clara Whitfield, LPC", "Dev Raman, CADC"),
        (
            "In winter the {city} clinic starts half an hour later, after the shuttle has made its first run up the ridge.",
            "The group room at {city} has a wood stove, and on cold mornings the first person in lights it.",
            "Several clients in {city} are seasonal workers at the ski area, so the team plans care that can move with them in spring.",
            "A trail from the back door leads to the Larch Meadow trailhead, where the Saturday mindfulness walk begins.",
        ),
    ),
    Location(
        "brookhaven", "Brookhaven", "560 Millrace Drive", "97952", "+15415550175", 45.052, -122.611,
        "the covered bridge", "the Route 3 bus", "bicycle racks and a small lot beside the bakery",
        "Millrace village", "a converted textile office above a bakery", "Covered Bridge Park",
        "Dr. Hanna Okafor", ("Peter Lindgren, LCSW", "Mei Tanaka, PharmD"),
        (
            "The {city} clinic sits above a bakery, which clients say makes the waiting room the best-smelling one they have known.",
            "The covered bridge over the millrace is the easiest landmark: the clinic door is the green one just past it.",
            "A pharmacist joins the {city} team on Tuesdays to go over medications with anyone who asks.",
            "Millrace village has no stoplights, and people who come by bicycle use the racks under the bakery awning.",
        ),
    ),
    Location(
        "silver-lake", "Silver Lake", "940 Shoreline Boulevard", "97966", "+15415550186", 43.981, -123.310,
        "the marina", "the Route 21 bus", "a lakeside lot shared with the rowing club", "the east shore",
        "a glass-fronted pavilion facing the water", "the Shoreline Promenade", "Marcus Feld, LPC",
        ("Aisha Rahman, LCSW", "Gordon Pike, CADC"),
        (
            "Sessions at {city} look out over the water, and some clients ask for the chairs facing the lake.",
            "The rowing club shares its lot with the clinic, so mornings are busy until the crews are out on the water.",
            "The {city} team keeps a lending shelf of books on recovery that anyone may take home.",
            "In summer the Tuesday group meets on the Shoreline Promenade benches when the wind is calm.",
        ),
    ),
    Location(
        "fox-hollow", "Fox Hollow", "3 Quarry Street", "97978", "+15415550197", 42.861, -122.404,
        "the stone quarry museum", "the Hollow Loop minibus", "a lot cut into the old quarry terrace",
        "the quarry terraces", "a granite former quarry office with thick cool walls", "Quarry Pond",
        "Dr. Lucia Ferrante", ("Henry Abernathy, LMFT", "Yusuf Demir, CADC"),
        (
            "The {city} building was the quarry's office for ninety years, and its granite walls keep the rooms cool in August.",
            "The Hollow Loop minibus stops at the museum gate, a short walk down the terrace steps from the clinic.",
            "Clients in {city} often come from farms out past Quarry Pond, so appointments cluster in the late morning.",
            "The team at {city} keeps a small woodworking bench, and the coat hooks in the hall were made there.",
        ),
    ),
    Location(
        "pine-crossing", "Pine Crossing", "1201 Depot Street", "97987", "+15415550108", 45.702, -121.532,
        "the old rail depot", "the regional train", "the depot's long-term lot, free for clients",
        "the depot quarter", "the second floor of the restored rail depot", "Switchyard Park",
        "Beatrix Holm, LCSW", ("Daniel Achebe, PsyD", "Noor Haddad, RN"),
        (
            "The {city} clinic is upstairs in the rail depot, and the regional train stops right under its windows.",
            "People commuting from the valley can step off the morning train and be in group within five minutes.",
            "The depot's waiting hall downstairs is heated and open early, so nobody has to wait outside in {city} winters.",
            "A mural of the old switchyard runs along the {city} stairwell, painted by a client who finished the program in its first year.",
        ),
    ),
)  # fmt: skip
SATELLITE = Location(
    "heron-bay", "Heron Bay", "55 Tidewater Lane", "97990", "+15415550119", 43.402, -124.221,
    "the harbor master's office", "the Route 30 bus", "two reserved spaces by the harbor master's office",
    "the tidewater flats", "a small office in the harbor master's building", "Tidewater Flats",
    "Beatrix Holm, LCSW", ("Beatrix Holm, LCSW",),
    ("The Heron Bay office is a satellite: counselors from Pine Crossing see clients here two days a week.",),
    hours=("Tu,Th 09:00-17:00",), shown_hours="Tuesday and Thursday 9:00 to 17:00",
)  # fmt: skip


@dataclass(frozen=True)
class Program:
    slug: str
    name: str
    short: str
    summary: str
    facts: tuple[str, ...]  # sentences about the program anywhere
    week: tuple[str, ...]  # sentences about its week
    hours: int  # hours a week

    @property
    def url(self) -> str:
        return f"/programs/{self.slug}/"


PROGRAMS = (
    Program(
        "intensive-outpatient", "Intensive Outpatient Program", "IOP",
        "three-hour groups several days a week while you keep living at home",
        (
            "An intensive outpatient program gives structure several days a week without an overnight stay.",
            "Most people take part for eight to twelve weeks, and the pace is adjusted as things settle.",
            "Group therapy sits at the center of the program, with a private session with your counselor every week.",
            "You keep your job, your classes or your family routine, and bring what you practice in group straight back to them.",
            "Relapse prevention work starts in the first week, with a written plan you revise as you go.",
            "Many people step down to the intensive outpatient program after partial hospitalization.",
        ),
        (
            "Each group opens with a check-in and ends with one concrete goal for the next day.",
            "Skills groups cover cravings, sleep, stress and the conversations that are hard to start.",
            "One evening a month is open to family members who want to understand the program.",
            "Counselors keep the groups small, rarely more than ten people.",
        ),
        9,
    ),
    Program(
        "partial-hospitalization", "Partial Hospitalization Program", "PHP",
        "full treatment days on weekdays, with nights and weekends at home",
        (
            "Partial hospitalization is the most structured care we offer: treatment most of the day, five days a week.",
            "A psychiatrist sees each person in the first days and then weekly, adjusting medication when it helps.",
            "People often come to partial hospitalization after a hospital stay, or to avoid one.",
            "The day is split between group therapy, individual sessions and skills practice.",
            "Nurses check in daily on sleep, appetite and medication side effects.",
            "When the days feel steadier, most people move on to the intensive outpatient program.",
        ),
        (
            "Days run from mid-morning to mid-afternoon, with lunch provided.",
            "Mornings are for group therapy; afternoons for individual work and skills practice.",
            "A case manager helps with work notes, benefits and the practical things that pile up.",
            "Fridays end with a planning session for the weekend ahead.",
        ),
        25,
    ),
    Program(
        "outpatient-therapy", "Outpatient Therapy", "outpatient therapy",
        "weekly individual or group sessions that fit around work and home",
        (
            "Outpatient therapy means a session or two a week, for as long as it is useful.",
            "Counselors use cognitive behavioral therapy, motivational interviewing and other approaches with good evidence behind them.",
            "Many people continue in outpatient therapy for months after a more intensive program ends.",
            "Sessions can be individual, in a small group, or a mix of the two.",
            "Telehealth sessions are available for weeks when getting to the clinic is not possible.",
            "Outpatient therapy is also where people start who are unsure whether they need treatment at all.",
        ),
        (
            "Sessions last fifty minutes, at the same time each week when possible.",
            "Early morning and evening appointments are kept for people who work days.",
            "Between sessions, your counselor can be reached through the secure client portal.",
            "Reviews every six weeks check whether the plan still fits.",
        ),
        2,
    ),
    Program(
        "family-recovery", "Family Recovery Program", "family program",
        "sessions and workshops for the people closest to someone in treatment",
        (
            "Addiction and mental illness affect whole families, and families can do much to help recovery.",
            "The family program teaches communication skills that lower conflict at home.",
            "Partners, parents, grown children and close friends are all welcome.",
            "A licensed family therapist leads the sessions, some with the person in treatment and some without.",
            "Family members learn how to set limits without cutting off support.",
            "Families do not need a relative in our other programs to join.",
        ),
        (
            "Workshops meet weekly, each on one topic such as boundaries, trust or relapse warning signs.",
            "Family sessions are scheduled with the therapist at a time that suits everyone.",
            "A support group for parents meets on its own evening.",
            "Childcare can be arranged for workshop evenings with a week's notice.",
        ),
        3,
    ),
    Program(
        "dual-diagnosis", "Dual Diagnosis Care", "dual diagnosis care",
        "treatment for substance use and mental health conditions at the same time",
        (
            "Dual diagnosis care treats a substance use disorder and a mental health condition together, by one team.",
            "Depression, anxiety, trauma and bipolar disorder are common alongside substance use, and each affects the other.",
            "A psychiatric nurse practitioner and a counselor plan care together from the first assessment.",
            "Medication is considered carefully, with attention to what is safe in recovery.",
            "Trauma-informed approaches are used throughout, so no one is pushed faster than they can go.",
            "Care can run at any intensity, from weekly sessions to full treatment days.",
        ),
        (
            "The week combines psychiatric follow-up, individual therapy and an integrated skills group.",
            "Skills groups teach emotion regulation and ways to cope that do not involve using.",
            "Medication check-ins happen every two weeks at first, then monthly.",
            "Progress is reviewed with you every month, in plain language.",
        ),
        6,
    ),
    Program(
        "trauma-therapy", "Trauma Therapy", "trauma therapy",
        "paced, evidence-based therapy for the lasting effects of trauma",
        (
            "Trauma therapy helps with memories, fear and numbness that stay long after a frightening event.",
            "Therapists trained in EMDR and trauma-focused cognitive therapy lead the work.",
            "The first sessions are about safety and coping, before anyone talks about what happened.",
            "Nobody is asked to describe a trauma in a group.",
            "Veterans, first responders and survivors of violence or accidents all take part.",
            "Sleep, anger and startle responses often ease as the therapy goes on.",
        ),
        (
            "Individual sessions are weekly, with a grounding skills group every other week.",
            "Sessions end with a few minutes to settle before you leave the room.",
            "Your therapist agrees the pace with you at every step.",
            "A quiet room is kept free after sessions for anyone who needs it.",
        ),
        2,
    ),
)  # fmt: skip

# Sentences with slots, picked per page by a seeded generator: different pages pick
# different ones, and the facts in the slots differ by location.
LEAD = (
    "{prog} at our {city} clinic offers {summary}.",
    "In {city}, the {prog} brings {summary} close to home.",
    "The {city} team runs the {prog}: {summary}.",
    "Our {prog} in {city} is for adults who want {summary}.",
    "People in {district} come to the {prog} in {city} for {summary}.",
)
LOCAL = (
    "The clinic is near {landmark}, and {transit} stops close by.",
    "If you drive, there is {parking}.",
    "The building is {building}, in {district}.",
    "After a session, {park} is a short walk away for anyone who wants air before going home.",
    "{lead} has led the team at this location for several years and still sees clients every week.",
    "Coming by {transit_name}? Ask the driver for the stop nearest {landmark}.",
    "Nobody shares a waiting room with the program next door: this location gives each group its own space in {building_short}.",
)
TEAM = (
    "{lead} supervises clinical care here, with {first} and {second} on the team.",
    "The team in {city} includes {first} and {second}, under the clinical lead {lead}.",
    "You will meet {first} in the first week; {second} joins for planning sessions, and {lead} reviews every plan.",
)
DAYS = (
    "Monday, Wednesday and Thursday",
    "Tuesday, Wednesday and Friday",
    "Monday, Tuesday and Thursday",
    "Monday through Friday",
    "Tuesday and Thursday",
    "Wednesday and Saturday",
)
TIMES = ("8:30", "9:00", "9:30", "10:00", "16:30", "17:30", "18:00")
FAQ = (
    ("Is there parking at the {city} clinic?", "Yes: {parking}."),
    (
        "How do I get to the {city} clinic without a car?",
        "Take {transit} to the stop nearest {landmark}; the clinic is a short walk from there.",
    ),
    ("When does the {short} meet in {city}?", "Groups meet {days}, starting at {start}."),
    ("Who leads the {short} team in {city}?", "{lead} leads it, together with {first}."),
    (
        "How many hours a week is the {short} in {city}?",
        "About {hours} hours a week, spread over {days}.",
    ),
    (
        "Can I start the {short} in {city} this month?",
        "Usually within a week or two of the first call; call {phone} to ask about openings.",
    ),
)


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    description: str
    h1: str
    sentences: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"/resources/{self.slug}/"


FIRST_WEEK = (
    "The first week of outpatient care is mostly about getting to know the people and the routine.",
    "On the first day you meet your counselor, who asks about your history, your goals and what has worked before.",
    "Expect paperwork: consent forms, an insurance check and a short questionnaire about your mood and sleep.",
    "Groups can feel strange at first, and nobody is asked to share more than they want to.",
    "Most people find that listening is enough for the first few sessions.",
    "By the third or fourth day, the schedule starts to feel familiar and the names stick.",
    "Your counselor will work with you on a written plan, with goals you choose yourself.",
    "It helps to bring a notebook, a water bottle and a list of the medications you take.",
    "Tiredness in the first week is common: talking about hard things takes energy.",
    "Tell your counselor if the times do not work; schedules can often be changed.",
    "At the end of the week, you review how it went and adjust the plan for the next one.",
    "Family members can ask for a call with the team once you have signed a release.",
    "If you miss a day, call the clinic; a missed day is a reason to talk, not to give up.",
    "Many people say the first week was easier than they feared, and harder than they expected in other ways.",
)
ARTICLES = (
    Article(
        "your-first-week", "Your first week in outpatient care, day by day",
        "What happens in the first week of outpatient treatment: the first meeting, groups, paperwork and the plan you write with your counselor.",
        "Your first week in outpatient care", FIRST_WEEK,
    ),
    Article(
        "talking-with-family", "How to talk with family about starting treatment",
        "Ways to tell the people close to you that you are starting treatment, what to ask of them, and how the family program can help.",
        "Talking with family about treatment",
        (
            "Telling family that you are starting treatment can feel harder than the decision itself.",
            "Choose a quiet moment, not the middle of an argument or a holiday dinner.",
            "You do not owe anyone every detail; saying what you need from them is enough.",
            "Some relatives will be relieved, some worried, and a few may react with anger that fades.",
            "Ask for one concrete thing, such as a ride on group days or a quiet evening a week.",
            "Children understand more than adults expect, and a simple honest sentence helps them.",
            "Our family recovery program welcomes relatives who want to learn how to support you.",
            "If a conversation goes badly, it can be tried again another day with a counselor present.",
            "Writing a short letter is an option for anyone who finds speaking too hard.",
        ),
    ),
    Article(
        "paying-for-care", "Paying for treatment: insurance, plans and costs",
        "How insurance covers outpatient and day treatment, what a verification call tells you, and the payment plans Juniper Hollow offers.",
        "Paying for treatment",
        (
            "Most health plans cover outpatient mental health and substance use treatment at least in part.",
            "A verification call tells you your deductible, your copay per session and whether a referral is needed.",
            "Our admissions staff make that call for you and explain the answer in plain numbers.",
            "Plans differ in how many days of partial hospitalization they approve at a time.",
            "If your plan denies a service, an appeal often succeeds when the clinical notes explain why it is needed.",
            "Payment plans spread what insurance does not cover over several months without interest.",
            "A sliding fee scale is available for people without insurance, based on household income.",
            "Ask for an estimate in writing before you start; it should list every fee you might see.",
        ),
    ),
    Article(
        "sleep-and-recovery", "Sleep and recovery: why rest matters early on",
        "Why sleep is often disturbed early in recovery, what helps, and when to tell your counselor or prescriber about poor sleep.",
        "Sleep in early recovery",
        (
            "Poor sleep is one of the most common complaints in the first months of recovery.",
            "Alcohol and many drugs change the structure of sleep, and it takes weeks to settle.",
            "Going to bed and getting up at the same time every day helps more than any single trick.",
            "Screens in bed keep the mind busy; a book or quiet music works better for most people.",
            "Caffeine after noon shows up as a restless night for many people.",
            "A short walk in daylight in the morning helps reset the body clock.",
            "Sleeping pills are rarely the answer in early recovery; talk to your prescriber before taking any.",
            "If nights stay bad for more than a few weeks, tell your counselor: it is a known risk for relapse.",
        ),
    ),
    Article(
        "relapse-warning-signs", "Relapse warning signs and what to do about them",
        "The early signs that recovery is slipping, from skipped meetings to secrecy, and the steps to take before a lapse becomes a relapse.",
        "Relapse warning signs",
        (
            "Relapse usually starts long before the first drink or drug, with small changes in thinking and routine.",
            "Skipping groups, sleeping badly and pulling away from friends are early signs worth noticing.",
            "Romanticizing past use, or telling yourself that once would not matter, is another.",
            "Secrecy about money or time often comes next.",
            "Writing down your own warning signs, with the people who help you, makes them easier to catch.",
            "When you notice a sign, tell someone the same day: a counselor, a sponsor or a friend in recovery.",
            "A lapse is not the end of recovery; it is information about what needs more support.",
            "Stepping back up to a more intensive program for a few weeks is a normal and often useful choice.",
        ),
    ),
    Article(
        "starting-outpatient-care", "Starting outpatient care: what the first days are like",
        "A plain account of the first days of outpatient treatment at Juniper Hollow: meeting your counselor, joining a group, making a plan.",
        "Starting outpatient care",
        (
            FIRST_WEEK[0],
            "On the first day you meet your counselor, who asks about your history, your goals and what has worked for you before.",
            *FIRST_WEEK[2:],
        ),
    ),
)  # fmt: skip


# --- pages ----------------------------------------------------------------------------------


@dataclass
class Page:
    url: str
    title: str
    description: str
    h1: str
    main: str  # the HTML of <main> after the <h1>
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (name, URL) after Home
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    aside: str = ""
    noindex: bool = False
    canonical: bool = True

    @property
    def file(self) -> str:
        return self.url[1:] + "index.html" if self.url.endswith("/") else self.url[1:]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def link(url: str, words: str) -> str:
    return f'<a href="{esc(url)}">{esc(words)}</a>'


def tel(phone: str) -> str:
    return f'<a href="tel:{phone}">{display(phone)}</a>'


def para(*sentences: str) -> str:
    return "<p>" + " ".join(esc(s) for s in sentences) + "</p>\n"


def figure(src: str, alt: str, width: int, height: int) -> str:
    return (
        f'<figure><img src="{src}" alt="{esc(alt)}" width="{width}" height="{height}">'
        f"<figcaption>{esc(alt)}</figcaption></figure>\n"
    )


def json_ld(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def breadcrumb_ld(page: Page) -> dict[str, Any]:
    trail = [("Home", "/"), *page.crumbs]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": ORIGIN + url}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def faq_ld(faq: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
            for q, a in faq
        ],
    }


def faq_html(heading: str, faq: list[tuple[str, str]]) -> str:
    items = "".join(f"<h3>{esc(q)}</h3>\n{para(a)}" for q, a in faq)
    return f'<section id="questions">\n<h2>{esc(heading)}</h2>\n{items}</section>\n'


def clinic_ld(loc: Location) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": loc.clinic_id,
        "name": loc.name,
        "url": ORIGIN + loc.url,
        "telephone": loc.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": loc.street,
            "addressLocality": loc.city,
            "addressRegion": REGION,
            "postalCode": loc.postal,
            "addressCountry": "US",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": loc.lat, "longitude": loc.lon},
        "openingHours": list(loc.hours),
    }


def clinic_aside(loc: Location) -> str:
    return (
        f'<aside class="visit" aria-label="Visit {esc(loc.city)}">\n'
        f"<h2>Visit {esc(loc.name)}</h2>\n"
        f'<address><span class="street">{esc(loc.street)}</span><br>'
        f"{esc(loc.city)}, {REGION} {loc.postal}<br>Phone: {tel(loc.phone)}</address>\n"
        f"<p>Open {esc(loc.shown_hours)}.</p>\n</aside>\n"
    )


NAV = (
    '<nav aria-label="Main"><ul>'
    '<li><a href="/programs/">Programs</a></li>'
    '<li><a href="/locations/">Locations</a></li>'
    '<li><a href="/insurance/">Insurance</a></li>'
    '<li><a href="/resources/">Resources</a></li>'
    '<li><a href="/contact/">Contact us</a></li>'
    "</ul></nav>"
)
FOOTER = (
    "<footer>\n"
    f"<p>{SITE_NAME} is a fictional provider made up for testing. Admissions: {tel(MAIN_PHONE)}.</p>\n"
    '<p><a href="/locations/">All locations</a> · <a href="/contact/">Ask a question</a></p>\n'
    "</footer>\n"
)


def render(page: Page) -> str:
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(page.title)}</title>",
        f'<meta name="description" content="{esc(page.description)}">',
    ]
    if page.noindex:
        head.append('<meta name="robots" content="noindex">')
    if page.canonical:
        head.append(f'<link rel="canonical" href="{ORIGIN}{page.url}">')
    head += [
        '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
        '<link rel="stylesheet" href="/assets/site.css">',
    ]
    blocks = list(page.jsonld)
    if page.crumbs:
        blocks.append(breadcrumb_ld(page))
    trail = ""
    if page.crumbs:
        items = [f"<li>{link('/', 'Home')}</li>"]
        for name, url in page.crumbs[:-1]:
            items.append(f"<li>{link(url, name)}</li>")
        items.append(f'<li aria-current="page">{esc(page.crumbs[-1][0])}</li>')
        trail = (
            f'<nav aria-label="Breadcrumb" class="breadcrumbs"><ol>{"".join(items)}</ol></nav>\n'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        + "\n".join(head)
        + "\n"
        + "".join(json_ld(b) for b in blocks)
        + "</head>\n<body>\n"
        + f'<header class="site-header"><a class="brand" href="/">{SITE_NAME}</a>\n{NAV}</header>\n'
        + trail
        + f"<main>\n<h1>{esc(page.h1)}</h1>\n{page.main}</main>\n"
        + page.aside
        + FOOTER
        + "</body>\n</html>\n"
    )


def names_of(loc: Location) -> dict[str, str]:
    """The slot values of a location: what differs from one location's text to another's."""
    return {
        "city": loc.city,
        "landmark": loc.landmark,
        "transit": loc.transit,
        "transit_name": loc.transit.removeprefix("the "),
        "parking": loc.parking,
        "district": loc.district,
        "building": loc.building,
        "building_short": loc.building.split(" with ")[0],
        "park": loc.park,
        "lead": loc.lead,
        "first": loc.team[0],
        "second": loc.team[-1],
        "phone": display(loc.phone),
    }


def program_at(loc: Location, prog: Program, shown: Location | None = None) -> Page:
    """The page of `prog` at `loc`. With `shown`, the page of `prog` at `shown` instead,
    made from `loc`'s text with only the city and clinic names changed (a doorway page)."""
    where = shown or loc
    rng = random.Random(f"{loc.slug}/{prog.slug}")
    slots = names_of(loc) | {
        "prog": prog.name,
        "short": prog.short,
        "summary": prog.summary,
        "days": rng.choice(DAYS),
        "start": rng.choice(TIMES),
        "hours": str(prog.hours),
    }

    def fill(template: str) -> str:
        text = template.format(**slots)
        text = text.replace(loc.name, where.name).replace(loc.city, where.city)
        return text[0].upper() + text[1:]

    lead = fill(rng.choice(LEAD))
    facts = rng.sample(prog.facts, 2)
    notes = [fill(n) for n in rng.sample(loc.notes, 2)]
    local = [fill(t) for t in rng.sample(LOCAL, 2)]
    week = rng.sample(prog.week, 2)
    team = fill(rng.choice(TEAM))
    faq = [(fill(q), fill(a)) for q, a in rng.sample(FAQ, 3)]
    url = f"{where.url}{prog.slug}/"
    main = (
        para(lead, facts[0])
        + f"<h2>{esc(fill('Why people choose the {short} in {city}'))}</h2>\n"
        + para(*notes)
        + para(*local)
        + f'<h2 id="schedule">{esc(fill("A week of the {short} in {city}"))}</h2>\n'
        + para(fill("Groups meet {days}, starting at {start}."), *week)
        + para(facts[1])
        + f"<h2>{esc(fill('Your care team in {city}'))}</h2>\n"
        + para(team)
        + figure(
            f"/images/programs/{prog.slug}.png",
            f"A group room set up for the {prog.name}",
            480,
            270,
        )
        + "<p>"
        + link(prog.url, f"Read about the {prog.name} at every location")
        + ", "
        + link(where.url, f"see the {where.city} clinic")
        + " or "
        + link("/insurance/#accepted-plans", "check which insurance plans we accept")
        + ".</p>\n"
        + faq_html(fill("Questions about the {short} in {city}"), faq)
    )
    title = f"{prog.name} in {where.city}, {REGION}"
    if len(title) < 30:
        title += f" | {SITE_NAME}"
    return Page(
        url,
        title,
        f"{prog.name} in {where.city}, {REGION}: {prog.summary}. Schedule, team and directions.",
        f"{prog.name} in {where.city}",
        main,
        crumbs=[("Locations", "/locations/"), (where.city, where.url), (prog.name, url)],
        jsonld=[clinic_ld(where), faq_ld(faq)],
        aside=clinic_aside(where),
    )


def location_hub(loc: Location, programs: Iterable[Program]) -> Page:
    rng = random.Random(loc.slug)
    slots = names_of(loc)
    programs = list(programs)
    listing = "".join(
        f"<li>{link(f'{loc.url}{p.slug}/', f'{p.name} in {loc.city}')}</li>" for p in programs
    )
    faq = [
        (f"Where is the {loc.city} clinic?", f"At {loc.street}, near {loc.landmark}."),
        (f"What are the opening hours in {loc.city}?", f"{loc.shown_hours}."),
    ]
    offered = (
        f"<h2>Programs in {esc(loc.city)}</h2>\n<ul>{listing}</ul>\n"
        if programs
        else para(
            f"Counselors see clients here by appointment for {PROGRAMS[2].name.lower()}.",
            "Call the office to book a time.",
        )
        + f"<p>{link(PROGRAMS[2].url, f'About {PROGRAMS[2].name}')}</p>\n"
    )
    main = (
        para(*(n.format(city=loc.city) for n in loc.notes[:2]))
        + figure(f"/images/locations/{loc.slug}.png", f"The entrance of {loc.building}", 640, 360)
        + f"<h2>Getting to {esc(loc.city)}</h2>\n"
        + para(
            f"The clinic is at {loc.street}, in {loc.district}, near {loc.landmark}.",
            f"Take {loc.transit}, or park in {loc.parking}.",
            *(t.format(**slots) for t in rng.sample(LOCAL[3:], 1)),
        )
        + offered
        + faq_html(f"Visiting {loc.city}", faq)
    )
    return Page(
        loc.url,
        f"{loc.name}, {REGION}",
        f"{loc.name} at {loc.street}: programs, opening hours, directions by {loc.transit.removeprefix('the ')} and parking.",
        f"{SITE_NAME} in {loc.city}",
        main,
        crumbs=[("Locations", "/locations/"), (loc.city, loc.url)],
        jsonld=[clinic_ld(loc), faq_ld(faq)],
        aside=clinic_aside(loc),
    )


def program_hub(prog: Program) -> Page:
    listing = "".join(
        f"<li>{link(f'{loc.url}{prog.slug}/', f'{prog.name} in {loc.city}')} ({esc(loc.district)})</li>"
        for loc in LOCATIONS
    )
    faq = [
        (f"Who is the {prog.name} for?", f"Adults who want {prog.summary}."),
        (f"How many hours a week does the {prog.name} take?", f"About {prog.hours} hours."),
    ]
    main = (
        para(*prog.facts[:3])
        + figure(
            f"/images/programs/{prog.slug}.png",
            f"A group room set up for the {prog.name}",
            480,
            270,
        )
        + f"<h2>How the {esc(prog.name)} works</h2>\n"
        + para(*prog.facts[3:])
        + para(*prog.week[:2])
        + f"<h2>Where we offer the {esc(prog.name)}</h2>\n<ul>{listing}</ul>\n"
        + f"<p>Questions? Call admissions at {tel(MAIN_PHONE)}, or "
        + link("/insurance/#accepted-plans", "see the insurance plans we accept")
        + ".</p>\n"
        + faq_html(f"About the {prog.name}", faq)
    )
    return Page(
        prog.url,
        f"{prog.name} | {SITE_NAME}" if len(prog.name) < 36 else prog.name + " in Oregon",
        f"The {prog.name} at {SITE_NAME}: {prog.summary}, at eight clinics in Oregon.",
        prog.name,
        main,
        crumbs=[("Programs", "/programs/"), (prog.name, prog.url)],
        jsonld=[faq_ld(faq)],
    )


def article_page(article: Article) -> Page:
    half = len(article.sentences) // 2
    main = (
        para(*article.sentences[:3])
        + f"<h2>{esc(article.h1)}: what to know</h2>\n"
        + para(*article.sentences[3:half])
        + para(*article.sentences[half:])
        + f"<p>{link('/resources/', 'More guides for clients and families')}</p>\n"
    )
    return Page(
        article.url,
        article.title,
        article.description,
        article.h1,
        main,
        crumbs=[("Resources", "/resources/"), (article.h1, article.url)],
    )


def site_pages() -> list[Page]:
    """Every page of the clean site (404.html included)."""
    pages = [
        Page(
            "/",
            f"{SITE_NAME}: outpatient care in Oregon",
            "Juniper Hollow Wellness offers intensive outpatient, day treatment, therapy and family programs at eight clinics in Oregon.",
            "Treatment close to home, at eight clinics",
            para(
                "Juniper Hollow Wellness is a fictional network of outpatient clinics, invented for testing a checker.",
                "Each clinic has its own team, its own building and its own way of doing things, within programs that share the same standards.",
            )
            + "<h2>Our programs</h2>\n<ul>"
            + "".join(f"<li>{link(p.url, p.name)}: {esc(p.summary)}.</li>" for p in PROGRAMS)
            + "</ul>\n<h2>Our clinics</h2>\n<ul>"
            + "".join(
                f"<li>{link(loc.url, loc.city)}, in {esc(loc.district)}</li>"
                for loc in (*LOCATIONS, SATELLITE)
            )
            + "</ul>\n"
            + para(
                "Not sure where to start? Admissions staff answer the phone on weekdays and can talk through the options."
            )
            + f"<p>{link('/resources/', 'Guides for clients and families')}</p>\n",
            jsonld=[
                {
                    "@context": "https://schema.org",
                    "@type": "MedicalOrganization",
                    "@id": f"{ORIGIN}/#organization",
                    "name": SITE_NAME,
                    "url": ORIGIN + "/",
                    "telephone": MAIN_PHONE,
                    "logo": f"{ORIGIN}/favicon.svg",
                }
            ],
        ),
        Page(
            "/programs/",
            f"Treatment programs | {SITE_NAME}",
            "Five programs, from weekly therapy to full treatment days: compare intensity, hours and who each one is for.",
            "Our treatment programs",
            para(
                "Programs differ mainly in intensity: how many hours a week, and how much of the day they take.",
                "Many people move between them as their needs change, with the same counselor where possible.",
            )
            + "<ul>"
            + "".join(
                f"<li>{link(p.url, p.name)}: about {p.hours} hours a week.</li>" for p in PROGRAMS
            )
            + "</ul>\n",
            crumbs=[("Programs", "/programs/")],
        ),
        Page(
            "/locations/",
            f"Clinic locations in Oregon | {SITE_NAME}",
            "Addresses, phone numbers and opening hours of all Juniper Hollow Wellness clinics, from Maple Falls to Heron Bay.",
            "Our clinic locations",
            para(
                "Every clinic offers an assessment on the phone first, so you only travel once you know which program fits."
            )
            + "<ul>"
            + "".join(
                f"<li>{link(loc.url, loc.name)}, {esc(loc.street)}, {tel(loc.phone)}</li>"
                for loc in (*LOCATIONS, SATELLITE)
            )
            + "</ul>\n",
            crumbs=[("Locations", "/locations/")],
        ),
        Page(
            "/insurance/",
            f"Insurance and payment | {SITE_NAME}",
            "Which health plans Juniper Hollow Wellness accepts, how coverage is verified, and the payment plans and sliding scale we offer.",
            "Insurance and payment",
            '<h2 id="accepted-plans">Plans we accept</h2>\n'
            + para(
                "We accept most commercial health plans and the state's Medicaid plans.",
                "Admissions staff verify your coverage before the first appointment.",
            )
            + '<h2 id="sliding-scale">Sliding scale and payment plans</h2>\n'
            + para("Without insurance, fees follow a sliding scale based on household income.")
            + f"<p>{link(ARTICLES[2].url, 'How insurance pays for treatment, in detail')}</p>\n",
            crumbs=[("Insurance", "/insurance/")],
        ),
        Page(
            "/contact/",
            f"Contact admissions | {SITE_NAME}",
            "Call admissions, write to us, or call a clinic directly: phone numbers for every Juniper Hollow Wellness location.",
            "Contact admissions",
            para("Admissions answers the phone on weekdays from 8:00 to 18:00.")
            + f"<p>Admissions: {tel(MAIN_PHONE)}</p>\n"
            + '<form name="contact" method="post" action="/contact/thanks/">\n'
            + '<p><label for="contact-name">Your name</label> <input id="contact-name" name="name" autocomplete="name" required></p>\n'
            + '<p><label for="contact-phone">Phone</label> <input id="contact-phone" name="phone" type="tel" autocomplete="tel"></p>\n'
            + '<p><label for="contact-message">Message</label> <textarea id="contact-message" name="message" rows="4"></textarea></p>\n'
            + '<p><button type="submit">Send the message</button></p>\n</form>\n'
            + "<h2>Call a clinic</h2>\n<ul>"
            + "".join(
                f"<li>{esc(loc.city)}: {tel(loc.phone)}</li>" for loc in (*LOCATIONS, SATELLITE)
            )
            + "</ul>\n",
            crumbs=[("Contact", "/contact/")],
        ),
        Page(
            "/contact/thanks/",
            f"Thank you for your message | {SITE_NAME}",
            "Your message has reached the admissions team of Juniper Hollow Wellness; we answer within one working day.",
            "Thank you, your message was sent",
            para("Someone from admissions will call or write back within one working day.")
            + f"<p>{link('/', 'Back to the home page')}</p>\n",
            noindex=True,
        ),
        Page(
            "/resources/",
            f"Guides for clients and families | {SITE_NAME}",
            "Short guides on starting treatment, talking with family, paying for care, sleep and relapse warning signs.",
            "Guides for clients and families",
            para(
                "Plain guides written by the clinical teams, for people starting treatment and those close to them."
            )
            + "<ul>"
            + "".join(f"<li>{link(a.url, a.h1)}</li>" for a in ARTICLES)
            + "</ul>\n",
            crumbs=[("Resources", "/resources/")],
        ),
        Page(
            "/404.html",
            f"Page not found | {SITE_NAME}",
            "The page you asked for is not on this site; the links below lead to our programs and clinics.",
            "This page is not here",
            para("The address may be mistyped, or the page has moved.")
            + f"<p>{link('/programs/', 'See all programs')} or {link('/locations/', 'find a clinic')}.</p>\n",
            canonical=False,
        ),
    ]
    pages += [program_hub(p) for p in PROGRAMS]
    pages += [location_hub(loc, PROGRAMS) for loc in LOCATIONS]
    pages.append(location_hub(SATELLITE, ()))
    pages += [program_at(loc, p) for loc in LOCATIONS for p in PROGRAMS]
    pages += [article_page(a) for a in ARTICLES]
    return pages


# --- the planted defects ----------------------------------------------------------------------


@dataclass(frozen=True)
class Defect:
    """One planted defect: the rule that should find it, where (a page's URL, /sitemap.xml or
    /_redirects), what was changed. A finding of `rule` on one of `partners` (the other
    page of a pair: a duplicate title is on both) also counts; `match`, when given, must be
    in the finding's message (a site file has several entries)."""

    rule: str
    url: str
    what: str
    partners: tuple[str, ...] = ()
    match: str | None = None


def one(text: str, old: str, new: str) -> str:
    """`text` with the first `old` replaced by `new` (which must be there)."""
    if old not in text:
        raise AssertionError(f"{old!r} is not in the page")
    return text.replace(old, new, 1)


def loc_of(slug: str) -> Location:
    return next(loc for loc in (*LOCATIONS, SATELLITE) if loc.slug == slug)


def prog_of(slug: str) -> Program:
    return next(p for p in PROGRAMS if p.slug == slug)


def at(loc: str, prog: str) -> str:
    return f"/locations/{loc}/{prog}/"


Edit = Callable[[str], str]
EDITS: list[tuple[str, str, str, Edit]] = [
    # (rule, page URL, what was changed, the change to the clean page's HTML)
    ("title-missing", at("maple-falls", "partial-hospitalization"), "no <title>",
     lambda h: re.sub(r"<title>.*?</title>\n", "", h, count=1)),
    ("title-length", at("cedar-point", "outpatient-therapy"), "a title of 87 characters",
     lambda h: one(h, "<title>Outpatient Therapy in Cedar Point, OR</title>",
                   "<title>Outpatient Therapy in Cedar Point, Oregon: Individual and Group Counseling Near You</title>")),
    ("description-missing", at("willow-bend", "family-recovery"), "no meta description",
     lambda h: re.sub(r'<meta name="description"[^>]*>\n', "", h, count=1)),
    ("description-length", at("aspen-ridge", "dual-diagnosis"), "a description of 41 characters",
     lambda h: re.sub(r'<meta name="description" content="[^"]*">',
                      '<meta name="description" content="Dual diagnosis care in Aspen Ridge, Oregon">', h, count=1)),
    ("h1-count", at("brookhaven", "intensive-outpatient"), "the site name in the header is a second <h1>",
     lambda h: one(h, f'<a class="brand" href="/">{SITE_NAME}</a>', f'<h1 class="brand"><a href="/">{SITE_NAME}</a></h1>')),
    ("duplicate-id", at("silver-lake", "partial-hospitalization"), 'id="schedule" on two headings',
     lambda h: one(h, "<h2>Your care team", '<h2 id="schedule">Your care team')),
    ("heading-order", at("fox-hollow", "outpatient-therapy"), "an <h4> right after an <h2> (the first FAQ question)",
     lambda h: re.sub(r"(<section id=\"questions\">\n<h2>.*?</h2>\n)<h3>(.*?)</h3>", r"\1<h4>\2</h4>", h, count=1)),
    ("lang-missing", at("pine-crossing", "family-recovery"), "<html> without lang",
     lambda h: one(h, '<html lang="en">', "<html>")),
    ("viewport-missing", at("brookhaven", "outpatient-therapy"), "no viewport meta tag",
     lambda h: one(h, '<meta name="viewport" content="width=device-width, initial-scale=1">\n', "")),
    ("canonical-missing", at("cedar-point", "intensive-outpatient"), "no canonical link",
     lambda h: re.sub(r'<link rel="canonical"[^>]*>\n', "", h, count=1)),
    ("canonical-invalid", at("willow-bend", "partial-hospitalization"), "the canonical URL is the location's page",
     lambda h: one(h, f'<link rel="canonical" href="{ORIGIN}{at("willow-bend", "partial-hospitalization")}">',
                   f'<link rel="canonical" href="{ORIGIN}/locations/willow-bend/">')),
    ("noindex-in-production", at("aspen-ridge", "outpatient-therapy"), "a stray noindex on a page the sitemap lists",
     lambda h: one(h, "<title>", '<meta name="robots" content="noindex">\n<title>')),
    ("img-alt", at("brookhaven", "family-recovery"), "an <img> without alt",
     lambda h: re.sub(r'(<img src="[^"]*") alt="[^"]*"', r"\1", h, count=1)),
    ("img-dimensions", at("silver-lake", "dual-diagnosis"), "an <img> without width and height",
     lambda h: re.sub(r' width="\d+" height="\d+">', ">", h, count=1)),
    ("img-file-size", at("fox-hollow", "intensive-outpatient"), "a 380 KB photo",
     lambda h: re.sub(r'<img src="[^"]*"', '<img src="/images/fox-hollow-group-room.png"', h, count=1)),
    ("link-text", at("pine-crossing", "partial-hospitalization"), "a link whose text is 'click here'",
     lambda h: one(h, "check which insurance plans we accept</a>", "click here</a>")),
    ("tel-invalid", "/programs/family-recovery/", "tel:541-555-0100 (not E.164)",
     lambda h: one(h, f'Call admissions at <a href="tel:{MAIN_PHONE}">', 'Call admissions at <a href="tel:541-555-0100">')),
    ("http-self-link", at("maple-falls", "outpatient-therapy"), "a link to the site over http:",
     lambda h: one(h, '<a href="/locations/maple-falls/">', '<a href="http://www.juniper-hollow.example/locations/maple-falls/">')),
    ("jsonld-invalid", at("cedar-point", "family-recovery"), "a trailing comma in the BreadcrumbList block",
     lambda h: re.sub(r'("item": "[^"]*family-recovery/"\n  })', r"\1,", h, count=1)),
    ("clinic-required", SATELLITE.url, "the MedicalClinic has no name (its @id is on no other page)",
     lambda h: re.sub(r'\n "name": "Juniper Hollow Wellness Heron Bay",', "", h, count=1)),
    ("clinic-mismatch", at("willow-bend", "dual-diagnosis"), "the page shows 2310 Fennel Street, the markup says 2300",
     lambda h: one(h, '<span class="street">2300 Fennel Street</span>', '<span class="street">2310 Fennel Street</span>')),
    ("clinic-recommended", at("aspen-ridge", "intensive-outpatient"), "the MedicalClinic has no geo",
     lambda h: re.sub(r'\n "geo": \{[^}]*\},', "", h, count=1)),
    ("breadcrumb-invalid", "/programs/dual-diagnosis/", "breadcrumb positions 1, 2, 4",
     lambda h: re.sub(r'"position": 3,', '"position": 4,', h, count=1)),
    ("jsonld-repeated", at("silver-lake", "outpatient-therapy"), "the FAQPage block twice",
     lambda h: re.sub(r'(<script type="application/ld\+json">\n\{\n "@context": "https://schema.org",\n "@type": "FAQPage".*?</script>\n)',
                      r"\1\1", h, count=1, flags=re.DOTALL)),
    ("faq-not-visible", at("fox-hollow", "family-recovery"), "FAQ markup asks a question the page does not show",
     lambda h: one(h, '"mainEntity": [\n', '"mainEntity": [\n  {"@type": "Question", "name": "Is the Family Recovery Program in Fox Hollow free?", "acceptedAnswer": {"@type": "Answer", "text": "Yes."}},\n')),
    ("broken-link", at("pine-crossing", "dual-diagnosis"), "a link to /locations/pine-crossing/team/, which is no page",
     lambda h: one(h, '<a href="/locations/pine-crossing/">', '<a href="/locations/pine-crossing/team/">')),
    ("broken-fragment", "/programs/outpatient-therapy/", "a link to /insurance/#payment-plans (no such id)",
     lambda h: one(h, '<a href="/insurance/#accepted-plans">', '<a href="/insurance/#payment-plans">')),
    ("redirect-link", at("cedar-point", "partial-hospitalization"), "a link without its trailing slash",
     lambda h: one(h, '<a href="/programs/partial-hospitalization/">', '<a href="/programs/partial-hospitalization">')),
    ("redirect-link", "/locations/willow-bend/", "a link to /iop/, a redirect of _redirects",
     lambda h: one(h, '<a href="/locations/willow-bend/intensive-outpatient/">', '<a href="/iop/">')),
    ("jsonld-id-conflict", at("pine-crossing", "outpatient-therapy"), "the Pine Crossing @id with telephone +15415550199 (shown on the page)",
     lambda h: h.replace("+15415550108", "+15415550199").replace("555-0108", "555-0199")),
    ("jsonld-id-split", at("brookhaven", "dual-diagnosis"), "the Brookhaven clinic (same name, address, telephone) under the @id of the page",
     lambda h: one(h, f'"@id": "{ORIGIN}/locations/brookhaven/#clinic"', f'"@id": "{ORIGIN}/locations/brookhaven/dual-diagnosis/#clinic"')),
]  # fmt: skip
DUPLICATES = [  # (rule, page, its partner whose value it takes, attribute)
    ("duplicate-title", at("willow-bend", "outpatient-therapy"), at("willow-bend", "intensive-outpatient"), "title"),
    ("duplicate-description", at("aspen-ridge", "partial-hospitalization"), at("aspen-ridge", "family-recovery"), "description"),
    ("duplicate-h1", at("maple-falls", "intensive-outpatient"), at("maple-falls", "dual-diagnosis"), "h1"),
]  # fmt: skip
DOORWAY = ("silver-lake", "family-recovery", "maple-falls")  # its page is maple-falls' text
NEAR_DUPLICATE = ("/resources/starting-outpatient-care/", "/resources/your-first-week/")
ORPHAN = "/resources/sleep-and-recovery/"
NOT_IN_SITEMAP = "/resources/relapse-warning-signs/"
TOO_MANY_URLS = "/sitemap-repeats.xml"  # a sitemap of the sitemap index, too long
VARIANTS: list[tuple[str, str, str, Edit]] = [
    # more forms of what some rules mean, on the pages of one program
    ("noindex-in-production", at("maple-falls", "trauma-therapy"), "noindex said to Googlebot by name, on a page the sitemap lists",
     lambda h: one(h, "<title>", '<meta name="googlebot" content="noindex">\n<title>')),
    ("noindex-in-production", at("cedar-point", "trauma-therapy"), 'robots "none" (noindex, nofollow) on a page the sitemap lists',
     lambda h: one(h, "<title>", '<meta name="robots" content="none">\n<title>')),
    ("img-alt", at("willow-bend", "trauma-therapy"), 'an <img> with alt="" that is not marked decorative',
     lambda h: re.sub(r'(<img src="[^"]*") alt="[^"]*"', r'\1 alt=""', h, count=1)),
    ("canonical-invalid", at("aspen-ridge", "trauma-therapy"), "the canonical URL is the page's http: address",
     lambda h: one(h, f'<link rel="canonical" href="{ORIGIN}', '<link rel="canonical" href="http://www.juniper-hollow.example')),
    ("h1-count", at("brookhaven", "trauma-therapy"), "no <h1> (the heading is a <p>)",
     lambda h: re.sub(r"<h1>(.*?)</h1>", r'<p class="title">\1</p>', h, count=1)),
    ("broken-link", at("silver-lake", "trauma-therapy"), "an <img> whose file is not there",
     lambda h: re.sub(r'<img src="[^"]*"', '<img src="/images/programs/trauma-therapy-room.png"', h, count=1)),
    ("img-oversized", at("pine-crossing", "trauma-therapy"), "a 1600 px photo (WebP, JPEG) shown at most 480 px wide",
     lambda h: re.sub(r'<img src="[^"]*"([^>]*) width="\d+" height="\d+">',
                      r'<picture><source type="image/webp" srcset="/images/pine-crossing-garden.webp">'
                      r'<img src="/images/pine-crossing-garden.jpg"\1 width="480" height="270"></picture>', h, count=1)),
]  # fmt: skip
LISTED_NOT_PAGES = ["/404.html", "/php/"]  # the not-found page and a redirect, in the sitemap
UNPARSEABLE = at("fox-hollow", "dual-diagnosis")
HEAVY_PHOTO = at("fox-hollow", "intensive-outpatient")  # img-file-size's page
PREVIEW_INDEXABLE = at("cedar-point", "dual-diagnosis")
GONE = "/locations/old-mill-annex/"  # in the sitemap, no page
CHAIN = ("/old-programs/iop/", "/iop/")  # a redirect to a redirect
REDIRECTS = [("/iop/", "/programs/intensive-outpatient/"), ("/php/", "/programs/partial-hospitalization/"),
             ("/family/", "/programs/family-recovery/"), ("/maplefalls/", "/locations/maple-falls/")]  # fmt: skip


@dataclass
class Corpus:
    """A written corpus: its folder, the environment to check it in, its pages (URL -> file),
    the clean ones, and the planted defects."""

    folder: Path
    env: str
    pages: dict[str, str]
    clean: list[str]
    defects: list[Defect]


def write_corpus(folder: Path, preview: bool = False) -> Corpus:
    """Write the corpus into `folder` (created). Production: the clean site with one defect
    per changed page or site file. `preview`: a preview build of the clean site (every page
    noindex, robots.txt disallowing all) in which one page lacks the noindex."""
    pages = {p.url: p for p in site_pages()}
    defects: list[Defect] = []
    texts: dict[str, str] = {}
    if not preview:
        for rule, url, partner, attribute in DUPLICATES:
            setattr(pages[url], attribute, getattr(pages[partner], attribute))
            defects.append(Defect(rule, url, f"the {attribute} of {partner}", (partner,)))
        shown, prog, source = DOORWAY
        door = program_at(loc_of(source), prog_of(prog), shown=loc_of(shown))
        pages[door.url] = door
        sibling = at(source, prog)
        defects.append(
            Defect("doorway", door.url, f"{sibling}'s text with the city names swapped", (sibling,))
        )
    # the articles' near-duplicate is part of the site: a preview has it too
    copy, original = NEAR_DUPLICATE
    defects.append(
        Defect("near-duplicate", copy, f"{original}'s text, one sentence changed", (original,))
    )
    for url, page in pages.items():
        texts[url] = render(page)
    if preview:
        for url in texts:
            if url != PREVIEW_INDEXABLE and not pages[url].noindex:
                texts[url] = one(
                    texts[url], "<title>", '<meta name="robots" content="noindex">\n<title>'
                )
        defects.append(
            Defect(
                "preview-indexable",
                PREVIEW_INDEXABLE,
                "the one page of the preview without noindex",
            )
        )
    else:
        for rule, url, what, edit in EDITS + VARIANTS:
            changed = edit(texts[url])
            if changed == texts[url]:
                raise AssertionError(f"{rule}: the edit of {url} changed nothing")
            texts[url] = changed
            partners: tuple[str, ...] = ()
            if rule in ("jsonld-id-conflict", "jsonld-id-split"):
                loc = url.split("/")[2]
                partners = tuple(
                    u for u in pages if u.startswith(f"/locations/{loc}/") and u != url
                )
            defects.append(Defect(rule, url, what, partners))
        # img-file-size's heavy photo is a PNG: no AVIF or WebP version either
        defects.append(
            Defect("img-modern-format", HEAVY_PHOTO, "the 380 KB photo, a PNG without AVIF or WebP")
        )
        texts[UNPARSEABLE] = ""  # an empty file: lxml finds no document in it
        defects.append(
            Defect("page-unparseable", UNPARSEABLE, "an empty file (a truncated upload)")
        )
        # the orphan: the resources list leaves it out
        texts["/resources/"] = one(
            texts["/resources/"], f"<li>{link(ORPHAN, pages[ORPHAN].h1)}</li>", ""
        )
        defects.append(Defect("orphan-page", ORPHAN, "in the sitemap, no page links to it"))
        defects.append(
            Defect("sitemap-missing", NOT_IN_SITEMAP, "linked, indexable, not in the sitemap")
        )
        defects.append(
            Defect("sitemap-extra", "/sitemap.xml", f"lists {GONE}, which is no page", match=GONE)
        )
        defects.append(
            Defect("sitemap-too-large", TOO_MANY_URLS, "lists the home page 50,001 times")
        )
        for path in LISTED_NOT_PAGES:
            defects.append(
                Defect("sitemap-extra", "/sitemap.xml", f"lists {path}", match=ORIGIN + path)
            )
        defects.append(
            Defect(
                "redirect-chain",
                "/_redirects",
                f"{CHAIN[0]} -> {CHAIN[1]}, which redirects again",
                match=CHAIN[0],
            )
        )
    listed = [u for u, p in pages.items() if not p.noindex and u != "/404.html"]
    if not preview:
        listed.remove(NOT_IN_SITEMAP)
        listed += [GONE, *LISTED_NOT_PAGES]
    redirects = list(REDIRECTS) + ([CHAIN] if not preview else [])
    write_site(folder, pages, texts, listed, redirects, preview)
    planted = {d.url for d in defects} | {p for d in defects for p in d.partners}
    clean = [u for u in pages if u not in planted]
    return Corpus(
        folder,
        "preview" if preview else "production",
        {u: p.file for u, p in pages.items()},
        clean,
        defects,
    )


def write_site(
    folder: Path,
    pages: dict[str, Page],
    texts: dict[str, str],
    listed: list[str],
    redirects: list[tuple[str, str]],
    preview: bool,
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for url, text in texts.items():
        path = folder / pages[url].file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sitemap = "".join(f"<url><loc>{ORIGIN}{u}</loc></url>\n" for u in listed)
    urlset = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{sitemap}</urlset>\n'
    )
    if preview:
        (folder / "sitemap.xml").write_text(urlset, encoding="utf-8")
    else:  # an index of the pages' sitemap and of one a loop wrote (TOO_MANY_URLS)
        (folder / "sitemap-pages.xml").write_text(urlset, encoding="utf-8")
        repeats = f"<url><loc>{ORIGIN}/</loc></url>\n" * (MAX_SITEMAP_URLS + 1)
        (folder / TOO_MANY_URLS.lstrip("/")).write_text(
            urlset.replace(sitemap, repeats), encoding="utf-8"
        )
        (folder / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<sitemap><loc>{ORIGIN}/sitemap-pages.xml</loc></sitemap>\n"
            f"<sitemap><loc>{ORIGIN}{TOO_MANY_URLS}</loc></sitemap>\n</sitemapindex>\n",
            encoding="utf-8",
        )
    robots = "Disallow: /" if preview else f"Allow: /\nSitemap: {ORIGIN}/sitemap.xml"
    (folder / "robots.txt").write_text(f"User-agent: *\n{robots}\n", encoding="utf-8")
    (folder / "_redirects").write_text(
        "# old addresses\n" + "".join(f"{a}  {b}  301\n" for a, b in redirects), encoding="utf-8"
    )
    (folder / "favicon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
        '<circle cx="8" cy="8" r="7" fill="#2f6b4f"/></svg>\n',
        encoding="utf-8",
    )
    assets = folder / "assets"
    assets.mkdir(exist_ok=True)
    (assets / "site.css").write_text(
        "body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1d2a24}\n"
        "a{color:#1f5c42}img{max-width:100%;height:auto}\n",
        encoding="utf-8",
    )
    images = folder / "images"
    for p in PROGRAMS:
        write_png(images / "programs" / f"{p.slug}.png", 480, 270, seed=p.slug)
    for loc in (*LOCATIONS, SATELLITE):
        write_png(images / "locations" / f"{loc.slug}.png", 640, 360, seed=loc.slug)
    if not preview:  # the heavy photo: noise does not compress
        write_png(images / "fox-hollow-group-room.png", 480, 270, seed="heavy", noise=True)
        # img-oversized's photo: 1600 px wide (about 30 KB as WebP, 110 KB as JPEG)
        photo = Image.blend(
            Image.linear_gradient("L").resize((1600, 900)).convert("RGB"),
            Image.effect_noise((1600, 900), 12).convert("RGB"),
            0.25,
        )
        for kind, suffix in (("WEBP", "webp"), ("JPEG", "jpg")):
            photo.save(images / f"pine-crossing-garden.{suffix}", kind, quality=80)


def write_png(path: Path, width: int, height: int, seed: str, noise: bool = False) -> None:
    """A real PNG: two colour bands (a few hundred bytes), or seeded noise (width * height *
    3 bytes and more)."""
    rng = random.Random(seed)
    if noise:
        rows = [b"\0" + rng.randbytes(width * 3) for _ in range(height)]
    else:
        top, bottom = rng.randbytes(3), rng.randbytes(3)
        rows = [b"\0" + (top if y < height // 2 else bottom) * width for y in range(height)]
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    )


# --- checking and scoring ----------------------------------------------------------------------


def check(corpus: Corpus, root: Path) -> list[dict[str, Any]]:
    """The findings of `python build.py check` on the corpus, judged as a foreign folder
    (`root` must hold no site.yaml), without the cache."""
    from sitegen.cli import main

    out = io.StringIO()
    args = ["check", str(corpus.folder), "--root", str(root), "--format", "json"]
    args += ["--env", corpus.env, "--no-cache"]
    with contextlib.redirect_stdout(out):
        main(args)
    findings: list[dict[str, Any]] = json.loads(out.getvalue())["findings"]
    return findings


@dataclass
class RuleScore:
    rule: str
    planted: int = 0
    found: int = 0
    false_alarms: list[str] = field(default_factory=list)  # "url: message"
    missed: list[str] = field(default_factory=list)  # "url: what was planted"

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None


def score(
    runs: Iterable[tuple[Corpus, list[dict[str, Any]]]], rules: Iterable[str]
) -> dict[str, RuleScore]:
    """Per rule: planted defects, those found (a finding of the rule at the defect's URL or
    a partner's, holding `match`), and false alarms (every finding that matches no defect:
    on a clean page, or of another rule than the one planted there)."""
    scores = {r: RuleScore(r) for r in rules}
    for corpus, findings in runs:
        found: set[int] = set()
        for f in findings:
            hits = [
                i
                for i, d in enumerate(corpus.defects)
                if d.rule == f["rule"]
                and f["url"] in (d.url, *d.partners)
                and (d.match is None or d.match in f["message"])
            ]
            if hits:
                found.update(hits)
            else:
                scores.setdefault(f["rule"], RuleScore(f["rule"])).false_alarms.append(
                    f"[{corpus.env}] {f['url']}: {f['message']}"
                )
        for i, d in enumerate(corpus.defects):
            s = scores.setdefault(d.rule, RuleScore(d.rule))
            s.planted += 1
            if i in found:
                s.found += 1
            else:
                s.missed.append(f"[{corpus.env}] {d.url}: {d.what}")
    return scores


def table(scores: dict[str, RuleScore], severities: dict[str, str]) -> str:
    """The per-rule table (Markdown) with totals."""
    lines = [
        "| rule | severity | planted | found | recall | false alarms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for rule in sorted(scores):
        s = scores[rule]
        recall = "-" if s.recall is None else f"{s.recall:.0%}"
        lines.append(
            f"| `{rule}` | {severities[rule]} | {s.planted} | {s.found} | {recall} | {len(s.false_alarms)} |"
        )
    planted = sum(s.planted for s in scores.values())
    found = sum(s.found for s in scores.values())
    alarms = sum(len(s.false_alarms) for s in scores.values())
    lines.append(f"| **total** | | {planted} | {found} | {found / planted:.0%} | {alarms} |")
    return "\n".join(lines)


def details(scores: dict[str, RuleScore], limit: int = 6) -> str:
    """Every miss and false alarm, by rule (at most `limit` of each per rule)."""
    lines = []
    for rule in sorted(scores):
        s = scores[rule]
        for kind, items in (("MISSED", s.missed), ("FALSE ALARM", s.false_alarms)):
            lines += [f"{kind} {rule}: {item}" for item in items[:limit]]
            if len(items) > limit:
                lines.append(f"{kind} {rule}: ... and {len(items) - limit} more")
    return "\n".join(lines)


def run_all(work: Path) -> tuple[list[Corpus], dict[str, RuleScore]]:
    """Write both corpora under `work`, check them and score the findings."""
    from sitegen.model.check_rules import RULES

    root = work / "no-project"  # no site.yaml: the folders are judged as foreign sites
    root.mkdir(parents=True, exist_ok=True)
    corpora = [write_corpus(work / "site"), write_corpus(work / "preview", preview=True)]
    runs = [(c, check(c, root)) for c in corpora]
    return corpora, score(runs, sorted(RULES))


def main() -> None:
    import tempfile

    from sitegen.model.check_rules import RULES

    with tempfile.TemporaryDirectory() as work:
        corpora, scores = run_all(Path(work))
        pages = sum(len(c.pages) for c in corpora)
        clean = sum(len(c.clean) for c in corpora)
        print(f"{pages} pages ({clean} clean) in {len(corpora)} folders\n")
        print(table(scores, {r.id: r.severity for r in RULES.values()}))
        print()
        print(details(scores))


if __name__ == "__main__":
    main()
