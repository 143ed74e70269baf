"""Equivalences of English given names: nicknames, short forms and spelling variants.

Search widens a given name to its equivalents ("Bill" finds "William"); the demo draws
the nicknames its duplicate records use from the same table, so what it plants the
search can find.
"""

from __future__ import annotations

# Given name -> common nicknames, short forms and spelling variants. Look-ups are
# case-insensitive through `nickname_equivalents`, which works in both directions.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy"),
    "Robert": ("Bob", "Rob", "Bobby", "Robbie"),
    "Jonathan": ("Jon", "Jonny"),
    "John": ("Johnny", "Jack"),
    "Katherine": ("Kate", "Katie", "Kathy", "Kat"),
    "Catherine": ("Cathy", "Cath", "Kate", "Katie"),
    "Mohammed": ("Mo", "Muhammad", "Mohamed", "Mohammad", "Mohd"),
    "Alexander": ("Alex", "Xander", "Sandy"),
    "Alexandra": ("Alex", "Lexi", "Sasha"),
    "Andrew": ("Andy", "Drew"),
    "Anthony": ("Tony", "Ant"),
    "Benjamin": ("Ben", "Benji", "Benny"),
    "Charles": ("Charlie", "Chas", "Chuck"),
    "Christopher": ("Chris", "Kit"),
    "Christine": ("Chris", "Chrissie", "Tina"),
    "Daniel": ("Dan", "Danny"),
    "David": ("Dave", "Davey"),
    "Edward": ("Ed", "Eddie", "Ted", "Teddy"),
    "Frederick": ("Fred", "Freddie", "Freddy"),
    "Gregory": ("Greg",),
    "Henry": ("Harry", "Hal"),
    "James": ("Jim", "Jimmy", "Jamie", "Jimbo"),
    "Joseph": ("Joe", "Joey"),
    "Joshua": ("Josh",),
    "Kenneth": ("Ken", "Kenny"),
    "Lawrence": ("Larry", "Laurie"),
    "Matthew": ("Matt", "Matty"),
    "Michael": ("Mike", "Mick", "Mikey", "Micky"),
    "Nicholas": ("Nick", "Nicky"),
    "Patrick": ("Pat", "Paddy"),
    "Peter": ("Pete",),
    "Philip": ("Phil",),
    "Raymond": ("Ray",),
    "Richard": ("Rich", "Richie", "Dick", "Ricky"),
    "Samuel": ("Sam", "Sammy"),
    "Stephen": ("Steve", "Stevie"),
    "Steven": ("Steve", "Stevie"),
    "Terence": ("Terry", "Tel"),
    "Thomas": ("Tom", "Tommy"),
    "Timothy": ("Tim", "Timmy"),
    "Nathan": ("Nat", "Nate"),
    "Nathaniel": ("Nat", "Nate"),
    "Jacob": ("Jake",),
    "Oliver": ("Ollie", "Olly"),
    "Alfred": ("Alfie", "Alf"),
    "Archibald": ("Archie",),
    "Stanley": ("Stan",),
    "Theodore": ("Theo", "Ted", "Teddy"),
    "Reginald": ("Reg", "Reggie"),
    "Ronald": ("Ron", "Ronnie"),
    "Donald": ("Don", "Donny"),
    "Leonard": ("Len", "Lenny", "Leo"),
    "Cameron": ("Cam",),
    "Callum": ("Cal",),
    "Declan": ("Dec",),
    "Ibrahim": ("Ibby", "Ibi"),
    "Abdullah": ("Abdul",),
    "Oluwaseun": ("Seun",),
    "Oluwatobi": ("Tobi",),
    "Babatunde": ("Tunde",),
    "Chidiebere": ("Chidi",),
    "Tomasz": ("Tom", "Tomek"),
    "Krzysztof": ("Chris", "Krzys"),
    "Lukasz": ("Luke",),
    "Jakub": ("Kuba", "Jake"),
    "Elizabeth": ("Liz", "Lizzie", "Beth", "Betty", "Eliza"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Rebecca": ("Becky", "Becca"),
    "Jessica": ("Jess", "Jessie"),
    "Samantha": ("Sam", "Sammy"),
    "Victoria": ("Vicky", "Tori"),
    "Jennifer": ("Jen", "Jenny"),
    "Abigail": ("Abbie", "Abby"),
    "Deborah": ("Debbie", "Debs"),
    "Jacqueline": ("Jackie", "Jacqui"),
    "Patricia": ("Pat", "Trish", "Patsy"),
    "Susan": ("Sue", "Susie"),
    "Amanda": ("Mandy",),
    "Nicola": ("Nicky", "Nic"),
    "Charlotte": ("Lottie", "Charlie"),
    "Isabella": ("Bella", "Izzy"),
    "Florence": ("Flo", "Florrie"),
    "Eleanor": ("Ellie", "Nell", "Nora"),
    "Natalie": ("Nat",),
    "Natalia": ("Nat", "Tala"),
    "Joanne": ("Jo",),
    "Joanna": ("Jo", "Asia"),
    "Agnieszka": ("Aga",),
    "Katarzyna": ("Kasia", "Kate"),
    "Magdalena": ("Magda",),
    "Aleksandra": ("Ola", "Alex"),
    "Anastasia": ("Nastya", "Stacey"),
    "Chiamaka": ("Amaka",),
    "Oluwafolake": ("Folake",),
    "Fatima": ("Fatma",),
    "Ayesha": ("Aisha",),
    "Caitlin": ("Cat", "Katie"),
}


def _build_equivalents() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for given, nicks in NICKNAMES.items():
        group = {given.lower(), *(n.lower() for n in nicks)}
        for member in group:
            groups.setdefault(member, set()).update(group)
    return {name: frozenset(members) for name, members in groups.items()}


_EQUIVALENTS: dict[str, frozenset[str]] = _build_equivalents()


def nickname_equivalents(given: str) -> frozenset[str]:
    """The lowercased name together with every name it may stand for or be shortened to.

    Works in both directions, one step: "bill" gives {"bill", "william", "will", "billy"},
    as does "William". A name with no known nicknames gives just itself, lowercased.
    """
    key = given.strip().lower()
    return _EQUIVALENTS.get(key, frozenset({key}))
