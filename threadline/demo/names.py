"""Name material for synthetic people in the demo region.

Given names reflect modern British diversity (English, Irish, Scottish, Welsh, South Asian,
Black British, Eastern European and more). Family names carry rough relative weights so
that common names (Smith, Jones, Williams...) come up as often as they do in real records,
which matters for testing matching. Nicknames and short forms let the demo record the same
synthetic person differently in different forces. Street monikers and deal-line brands are
generic. Nothing here identifies a real person: names are combined at random.
"""

from __future__ import annotations

from threadline.reference.names import NICKNAMES, nickname_equivalents

__all__ = [
    "FAMILY_NAMES",
    "FEMALE_GIVEN",
    "LINE_BRANDS",
    "MALE_GIVEN",
    "NICKNAMES",
    "STREET_NICKNAMES",
    "nickname_equivalents",
]

# fmt: off
MALE_GIVEN: tuple[str, ...] = (
    # English and general British, across generations
    "Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Oscar", "Charlie",
    "Jacob", "Thomas", "William", "James", "Henry", "Alfie", "Joshua", "Freddie", "Archie",
    "Ethan", "Isaac", "Alexander", "Joseph", "Edward", "Samuel", "Max", "Daniel", "Logan",
    "Lucas", "Theo", "Adam", "Benjamin", "Harrison", "Dylan", "Finley", "Jake", "Liam",
    "Luke", "Matthew", "Michael", "David", "Christopher", "Andrew", "Paul", "Mark",
    "Steven", "Stephen", "Robert", "John", "Richard", "Peter", "Anthony", "Jonathan",
    "Nicholas", "Kevin", "Gary", "Lee", "Craig", "Dean", "Wayne", "Darren", "Jason",
    "Scott", "Ryan", "Kyle", "Jordan", "Tyler", "Bradley", "Reece", "Brandon", "Lewis",
    "Cameron", "Jamie", "Aaron", "Nathan", "Stanley", "Frederick", "Albert", "Kenneth",
    "Brian", "Terence", "Raymond", "Colin", "Keith", "Graham", "Neil", "Ian", "Martin",
    "Simon", "Philip", "Timothy", "Gregory", "Mason", "Riley", "Toby",
    # Irish
    "Connor", "Declan", "Sean", "Patrick", "Ciaran", "Niall", "Eoin", "Cillian", "Padraig",
    # Scottish
    "Callum", "Fraser", "Angus", "Hamish", "Euan", "Ruaridh", "Alasdair",
    # Welsh
    "Rhys", "Dafydd", "Gareth", "Owain", "Iwan", "Aled", "Rhodri", "Gethin",
    # South Asian and Muslim British
    "Mohammed", "Muhammad", "Ahmed", "Omar", "Ali", "Hassan", "Hussain", "Bilal", "Imran",
    "Tariq", "Zain", "Ayaan", "Rayyan", "Ibrahim", "Yusuf", "Abdul", "Amir", "Arjun",
    "Rohan", "Sanjay", "Vikram", "Ravi", "Harpreet", "Gurpreet", "Jaspal", "Kamran",
    "Shahid", "Faisal",
    # Black British, African and Caribbean heritage
    "Kwame", "Kofi", "Chidi", "Emeka", "Tunde", "Femi", "Oluwaseun", "Jermaine", "Tyrone",
    "Marcus", "Andre", "Malik", "Darnell", "Jayden", "Kai", "Delroy", "Winston", "Tobi",
    "Abdi",
    # Eastern and Central European
    "Tomasz", "Piotr", "Krzysztof", "Marcin", "Jakub", "Andrzej", "Lukasz", "Mateusz",
    "Dawid", "Bogdan", "Ionut", "Mihai", "Andrei", "Vytautas", "Mantas", "Arturs",
    "Dmitri", "Florin",
)

FEMALE_GIVEN: tuple[str, ...] = (
    # English and general British, across generations
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Willow", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie",
    "Charlotte", "Evelyn", "Sienna", "Phoebe", "Daisy", "Harper", "Ruby", "Jessica",
    "Sophie", "Chloe", "Lucy", "Hannah", "Megan", "Holly", "Lauren", "Bethany", "Amy",
    "Rebecca", "Laura", "Emma", "Sarah", "Rachel", "Hayley", "Kirsty", "Stacey", "Kelly",
    "Gemma", "Leanne", "Natalie", "Nicola", "Joanne", "Claire", "Michelle", "Lisa", "Donna",
    "Tracey", "Karen", "Julie", "Susan", "Deborah", "Jacqueline", "Elizabeth", "Margaret",
    "Katherine", "Catherine", "Victoria", "Samantha", "Jennifer", "Abigail", "Alexandra",
    "Amanda", "Patricia", "Christine", "Caitlin", "Courtney", "Jade", "Shannon", "Tia",
    "Keeley", "Chantelle", "Danielle", "Melissa", "Kayleigh", "Paige", "Jodie", "Louise",
    "Helen", "Angela", "Dorothy", "Valerie", "Teresa", "Margot", "Matilda", "Eleanor",
    # Irish
    "Siobhan", "Aoife", "Niamh", "Ciara", "Roisin", "Orla", "Saoirse", "Sinead",
    # Scottish
    "Eilidh", "Morag", "Ailsa", "Fiona", "Catriona", "Mhairi", "Iona",
    # Welsh
    "Rhiannon", "Ffion", "Cerys", "Seren", "Bethan", "Nia", "Carys", "Sian",
    # South Asian and Muslim British
    "Aisha", "Fatima", "Maryam", "Zainab", "Amina", "Khadija", "Ayesha", "Hafsa", "Noor",
    "Samira", "Yasmin", "Priya", "Anjali", "Sunita", "Simran", "Manpreet", "Kiran",
    "Nadia", "Shabnam", "Nazia", "Rukhsana", "Parveen", "Sana", "Zara",
    # Black British, African and Caribbean heritage
    "Chiamaka", "Adaeze", "Ngozi", "Folake", "Abena", "Precious", "Blessing", "Shanice",
    "Tanisha", "Aaliyah", "Jada", "Keisha", "Marcia", "Imani", "Hodan",
    # Eastern and Central European
    "Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Natalia", "Aleksandra", "Monika",
    "Karolina", "Ewa", "Oliwia", "Zuzanna", "Ioana", "Elena", "Andreea", "Alina", "Daria",
    "Ieva", "Kristina", "Anastasia", "Olena",
)

# (family name, relative weight). Weights are rough, chosen to give a realistic skew:
# the commonest British surnames dominate and a long tail of names appears now and then.
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Smith", 100), ("Jones", 80), ("Williams", 62), ("Taylor", 56), ("Brown", 55),
    ("Davies", 50), ("Evans", 40), ("Wilson", 38), ("Thomas", 38), ("Johnson", 36),
    ("Roberts", 35), ("Wright", 30), ("Thompson", 30), ("Robinson", 28), ("Walker", 28),
    ("White", 27), ("Edwards", 27), ("Hughes", 26), ("Green", 25), ("Hall", 25),
    ("Lewis", 24), ("Harris", 24), ("Clarke", 24), ("Patel", 24), ("Jackson", 23),
    ("Wood", 22), ("Turner", 21), ("Martin", 21), ("Cooper", 21), ("Hill", 20),
    ("Ward", 20), ("Morris", 20), ("Moore", 20), ("Clark", 20), ("Lee", 19), ("King", 19),
    ("Baker", 19), ("Harrison", 19), ("Morgan", 18), ("Allen", 18), ("James", 18),
    ("Scott", 18), ("Phillips", 17), ("Watson", 17), ("Davis", 17), ("Parker", 16),
    ("Price", 16), ("Bennett", 16), ("Young", 16), ("Griffiths", 16), ("Mitchell", 16),
    ("Kelly", 15), ("Cook", 15), ("Carter", 15), ("Richardson", 15), ("Bailey", 15),
    ("Collins", 15), ("Bell", 14), ("Shaw", 14), ("Murphy", 14), ("Miller", 14),
    ("Cox", 14), ("Richards", 14), ("Khan", 14), ("Marshall", 13), ("Anderson", 13),
    ("Simpson", 13), ("Ellis", 13), ("Adams", 13), ("Singh", 13), ("Begum", 13),
    ("Wilkinson", 12), ("Foster", 12), ("Chapman", 12), ("Powell", 12), ("Webb", 12),
    ("Rogers", 12), ("Gray", 12), ("Mason", 12), ("Ali", 12), ("Hunt", 11),
    ("Hussain", 11), ("Campbell", 11), ("Matthews", 11), ("Owen", 11), ("Palmer", 11),
    ("Holmes", 11), ("Mills", 11), ("Barnes", 11), ("Knight", 11), ("Lloyd", 11),
    ("Butler", 11), ("Russell", 11), ("Barker", 10), ("Fisher", 10), ("Stevens", 10),
    ("Jenkins", 10), ("Murray", 10), ("Dixon", 10), ("Harvey", 10), ("Ahmed", 10),
    ("Graham", 9), ("Pearson", 9), ("Ahmad", 6), ("Stone", 9), ("Walsh", 9),
    ("Reynolds", 9), ("Hudson", 9), ("Hamilton", 9), ("Wallace", 8), ("Kennedy", 8),
    ("Fox", 9), ("Gibson", 9), ("Hart", 9), ("Rose", 8), ("Lawrence", 9), ("Ford", 8),
    ("Hayes", 8), ("Spencer", 9), ("Gardner", 8), ("Stewart", 9), ("Reid", 8),
    ("Rees", 8), ("Burton", 8), ("Fletcher", 8), ("Jordan", 7), ("Dean", 7),
    ("Elliott", 8), ("Andrews", 8), ("Lane", 7), ("Porter", 7), ("Atkinson", 8),
    ("Saunders", 7), ("Payne", 7), ("Pearce", 7), ("Day", 7), ("Hunter", 7),
    ("Armstrong", 7), ("Berry", 7), ("Holland", 7), ("Cole", 7), ("Chambers", 7),
    ("Lambert", 6), ("Hopkins", 6), ("Dawson", 6), ("Watts", 7), ("Sutton", 6),
    ("Greenwood", 6), ("Booth", 6), ("Burns", 6), ("Wells", 6), ("Newman", 6),
    ("Long", 6), ("Woods", 6), ("Barrett", 6), ("Webster", 6), ("Bradley", 6),
    ("Bull", 4), ("Lowe", 6), ("Kaur", 9), ("Mann", 5), ("Gill", 6), ("Sharma", 6),
    ("Shah", 6), ("Mahmood", 5), ("Iqbal", 5), ("Rahman", 6), ("Islam", 5), ("Akhtar", 5),
    ("Bibi", 5), ("Mohammed", 6), ("Uddin", 5), ("Miah", 5), ("Chowdhury", 4),
    ("Rashid", 4), ("Malik", 5), ("Aziz", 3), ("Qureshi", 3), ("Siddiqui", 3),
    ("Butt", 4), ("Mirza", 3), ("Kumar", 5), ("Gupta", 3), ("Mistry", 4), ("Parmar", 4),
    ("Chauhan", 3), ("Joshi", 3), ("Desai", 3), ("Sandhu", 3), ("Dhillon", 3),
    ("Sidhu", 3), ("Bains", 3), ("Johal", 2), ("Mehta", 3), ("Chaudhry", 3),
    ("Nawaz", 3), ("Haque", 3), ("Sultana", 3), ("Javed", 2), ("Abbasi", 2),
    ("Okafor", 3), ("Mensah", 3), ("Okoro", 2), ("Adeyemi", 3), ("Okonkwo", 2),
    ("Adebayo", 3), ("Oluwole", 2), ("Boateng", 3), ("Owusu", 3), ("Asante", 2),
    ("Osei", 3), ("Appiah", 2), ("Nwosu", 2), ("Eze", 2), ("Balogun", 2), ("Afolabi", 2),
    ("Bello", 2), ("Ogunleye", 2), ("Mohamud", 3), ("Abdi", 3), ("Farah", 3),
    ("Yusuf", 3), ("Warsame", 2), ("Campbell-Brown", 1), ("Francis", 7), ("Grant", 7),
    ("Thomson", 6), ("Samuels", 3), ("Beckford", 2), ("Bailey-Smith", 1), ("Gayle", 2),
    ("Henry", 5), ("McKenzie", 4), ("Nelson", 5), ("Richards-Hall", 1), ("Forbes", 4),
    ("Nowak", 4), ("Kowalski", 3), ("Kowalska", 2), ("Wisniewski", 2), ("Wojcik", 2),
    ("Kaminski", 2), ("Lewandowski", 2), ("Zielinski", 2), ("Szymanski", 2),
    ("Wozniak", 2), ("Dabrowski", 2), ("Kozlowski", 2), ("Mazur", 2), ("Krawczyk", 2),
    ("Popescu", 2), ("Ionescu", 2), ("Popa", 2), ("Stan", 1), ("Dumitru", 2),
    ("Kazlauskas", 2), ("Petrauskas", 1), ("Jankauskas", 1), ("Berzins", 1),
    ("Ivanov", 2), ("Petrov", 1), ("Horvath", 1), ("Novak", 2), ("Kovac", 1),
    ("O'Brien", 6), ("O'Connor", 6), ("O'Neill", 6), ("O'Sullivan", 5), ("O'Donnell", 4),
    ("O'Reilly", 4), ("O'Leary", 3), ("O'Mahony", 2), ("Ryan", 7), ("Byrne", 6),
    ("Doyle", 6), ("Kavanagh", 4), ("Quinn", 5), ("Gallagher", 5), ("Brennan", 4),
    ("Daly", 4), ("Flynn", 4), ("Nolan", 5), ("Keane", 3), ("Doherty", 5),
    ("McCarthy", 6), ("Fitzgerald", 5), ("Sweeney", 4), ("Donnelly", 4), ("Duffy", 4),
    ("Connolly", 5), ("Hegarty", 2), ("Moran", 4), ("Whelan", 3), ("Lynch", 5),
    ("McDonald", 7), ("MacDonald", 5), ("McLean", 4), ("MacLeod", 4), ("McKay", 4),
    ("Mackay", 3), ("Fraser", 5), ("Ross", 6), ("Paterson", 5), ("Morrison", 5),
    ("Robertson", 6), ("Henderson", 6), ("Ferguson", 5), ("Cameron", 5), ("Munro", 3),
    ("Sinclair", 4), ("Douglas", 5), ("Crawford", 5), ("Buchanan", 4), ("Boyd", 3),
    ("McGregor", 3), ("Kerr", 4), ("Sutherland", 3), ("Duncan", 4), ("Johnston", 6),
    ("Llewellyn", 3), ("Pritchard", 4), ("Vaughan", 4), ("Rowlands", 4),
    ("Howells", 3), ("Parry", 5), ("Bowen", 4), ("Jenkin", 2), ("Probert", 2),
    ("Prosser", 2), ("Pugh", 4), ("Gwynne", 2), ("Meredith", 3), ("Lloyd-Jones", 1),
    ("Bevan", 3), ("Hopkin", 2), ("Rees-Evans", 1), ("Humphreys", 4), ("Morgans", 1),
    ("Barber", 5), ("Bishop", 6), ("Black", 5), ("Blake", 5), ("Bond", 5), ("Bowden", 3),
    ("Briggs", 4), ("Brooks", 6), ("Carr", 6), ("Chandler", 4), ("Clayton", 4),
    ("Coleman", 6), ("Collier", 3), ("Curtis", 5), ("Dunn", 5), ("Farmer", 4),
    ("Fowler", 4), ("Frost", 4), ("Fuller", 4), ("Gilbert", 5), ("Goodwin", 4),
    ("Gordon", 5), ("Hardy", 5), ("Harper", 5), ("Hawkins", 6), ("Hewitt", 4),
    ("Hodgson", 4), ("Holt", 4), ("Howard", 6), ("Hurst", 3), ("Jarvis", 4),
    ("Jennings", 5), ("Kemp", 4), ("Kirby", 3), ("Lamb", 4), ("Lucas", 5), ("Mann-Ellis", 1),
    ("Marsh", 5), ("May", 4), ("Middleton", 4), ("Moss", 5), ("Nash", 4), ("Newton", 5),
    ("Nicholls", 5), ("Norris", 4), ("Osborne", 4), ("Page", 5), ("Parsons", 5),
    ("Pope", 4), ("Potter", 5), ("Randall", 3), ("Read", 4), ("Riley", 5),
    ("Robson", 5), ("Rowe", 5), ("Sanders", 4), ("Sharp", 5), ("Slater", 4),
    ("Stephenson", 5), ("Stevenson", 4), ("Summers", 3), ("Swift", 3), ("Thornton", 4),
    ("Tucker", 5), ("Vincent", 4), ("Wade", 4), ("Walters", 5), ("Warren", 5),
    ("Waters", 4), ("West", 5), ("Wheeler", 4), ("Whitehead", 4), ("Wiggins", 2),
    ("Wilkins", 4), ("Willis", 5), ("Winter", 3), ("Yates", 4), ("Abbott", 4),
    ("Ashton", 3), ("Austin", 4), ("Bolton", 3), ("Bray", 3), ("Burgess", 5),
    ("Cartwright", 4), ("Dobson", 4), ("Easton", 2), ("Fenton", 3), ("Gould", 3),
    ("Hammond", 4), ("Haynes", 4), ("Hobbs", 3), ("Knowles", 4), ("Leach", 3),
    ("Manning", 4), ("Metcalfe", 3), ("Oakley", 2), ("Peacock", 3), ("Pratt", 3),
    ("Rowley", 3), ("Sheppard", 4), ("Skinner", 4), ("Steele", 4), ("Talbot", 3),
    ("Townsend", 4), ("Upton", 2), ("Walton", 4), ("Whitaker", 3), ("Woodward", 4),
    ("Chen", 3), ("Wang", 3), ("Li", 3), ("Zhang", 2), ("Wong", 3), ("Nguyen", 3),
    ("Tran", 2), ("Santos", 3), ("Silva", 3), ("Ferreira", 2), ("Pereira", 2),
    ("Costa", 2), ("Rodrigues", 2), ("Garcia", 2), ("Rossi", 2), ("Demir", 2),
    ("Yilmaz", 2), ("Kaya", 1), ("Hoxha", 2), ("Gashi", 2), ("Krasniqi", 2),
    ("Berisha", 2), ("Shehu", 1), ("Kurti", 1),
)
# fmt: on

# fmt: off
STREET_NICKNAMES: tuple[str, ...] = (
    "Tiny", "K-Dog", "Smokey", "Lil T", "Biggs", "Ghost", "Shadow", "Flash", "Scrappy",
    "Junior", "Bugsy", "Chops", "Dice", "Snoopy", "Milky", "Tiger", "Bandit", "Ninja",
    "Rocket", "Sparky", "Bones", "Ziggy", "Frosty", "Ginger", "Skinny", "Zee", "Deuce",
    "Lucky", "Spider", "Mouse", "Pepper", "Dodger", "Dizzy", "Sonic", "Turbo", "Spud",
    "Prince", "Duke", "Boss Man", "Slim", "Bizzle", "J-Man", "Little Man", "Big Mike",
    "Jay-Jay", "Moose", "Scooter", "Taz", "Kiddo", "Stretch", "Blue", "Red", "Gizmo",
    "Biscuit", "Fizz", "Cookie", "Lil Man", "Wiz", "Zippy", "Nugget", "Peanut", "Tank",
)

LINE_BRANDS: tuple[str, ...] = (
    "Ace", "Bando", "Rambo", "Tony", "Zulu", "Ben", "Danny", "Kenzo", "Rico", "Rocco",
    "Marco", "Polo", "Jay", "Kaz", "Dee", "Milly", "Max", "Scott", "Mikey", "Nico",
    "Bruno", "Sammy", "Gucci", "Cartier", "Casper", "Diesel", "Tango", "Bravo", "Delta",
    "Echo", "Kilo", "Viper", "Cobra", "Dubai", "Vegas", "Oscar", "Romeo", "Lenny",
    "Mario", "Ricky", "Smiley", "Benz",
)
# fmt: on
