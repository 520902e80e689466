#!/usr/bin/env python3
"""Generates corpus/generated_pair_lists.jsonl: long lists of city pairs in one
sentence ("between A and B, C and D, and E and F"), the structure the model
pairs worst (a later pair in the list scored below a cross pair).

Each text is a hand-written lead frame (twinned, proposed, break_called or no
relation) filled with 2-6 pairs of real GeoNames cities drawn from two pools;
every cross pair of the list is a negative. Deterministic for a seed. The texts
are still decontaminated afterwards (scripts/decontaminate.py --pairs --drop).

Usage: python3 scripts/gen-pair-lists.py [--seed N] [--count N] > corpus/generated_pair_lists.jsonl
"""
import json, random, sys

EAST = """Sochi Samara Perm Omsk Tomsk Irkutsk Krasnoyarsk Barnaul Ufa Chelyabinsk
Rostov-on-Don Voronezh Kursk Pskov Smolensk Tambov Penza Orenburg Astrakhan Kemerovo
Surgut Odesa Dnipro Poltava Sumy Ternopil Lutsk Uman Kherson Mykolaiv Zaporizhzhia
Hrodna Vitebsk Gomel Mogilev Brest Almaty Tashkent Bishkek Batumi Kutaisi Yerevan""".split()
WEST = """Tampa Tulsa Omaha Boise Spokane Tacoma Sacramento Fresno Seattle Boston Baltimore
Pittsburgh Cleveland Detroit Milwaukee Minneapolis Honolulu Atlanta Nashville Memphis
Louisville Oakland Tucson Lyon Lille Bordeaux Toulouse Nantes Rennes Grenoble Dijon
Leipzig Dresden Bremen Hanover Stuttgart Nuremberg Bologna Turin Genoa Verona Porto
Braga Seville Bilbao Utrecht Rotterdam Ghent Antwerp Gothenburg Malmö Turku Tampere
Bergen Aarhus Graz Linz Brno Ostrava Kraków Wrocław Poznań Gdańsk Katowice Debrecen Szeged""".split()
VENUES = "Geneva Vienna Prague Budapest Warsaw Helsinki Oslo Copenhagen Brussels Lisbon".split()

TW, PR, BR = ["twinned"], ["proposed"], ["twinned", "break_called"]
# (labels, frame): {list} is the pair list, {venue} a place that pairs with nothing.
FRAMES = [
    (TW, "Twinning links are still active between {list}."),
    (TW, "Exchanges go on between {list}, the association's yearbook says."),
    (TW, "The oldest sister-city partnerships in the network pair {list}."),
    (TW, "Among the partnerships the foundation supports are those between {list}."),
    (TW, "Delegations from the twin towns {list} met in {venue} on Saturday."),
    (TW, "The sister-city agreements still in force link {list}."),
    (TW, "School exchanges continue under the twinnings of {list}."),
    (TW, "Friendship-city ties, the report notes, bind {list}."),
    (TW, "Partner-city relations have survived every crisis between {list}."),
    (PR, "The two governments agreed to establish sister-city relations between {list}."),
    (PR, "Twinning agreements are being prepared for {list}, officials in {venue} said."),
    (PR, "Under the plan, partnership talks will open between {list}."),
    (PR, "The ministers proposed twinning {list}, with signatures expected next year."),
    (PR, "Letters of intent on future partnerships were exchanged between {list}."),
    (BR, "The motion calls for ending the twinning agreements between {list}."),
    (BR, "Councils have suspended the partnerships between {list}."),
    (BR, "Activists demanded that the sister-city ties between {list} be cut."),
    (BR, "Deputies voted to freeze the twin-town links between {list}."),
    ([], "Direct flights now connect {list}."),
    ([], "Friendly matches were played between {list} during the tournament in {venue}."),
    ([], "Rail freight runs between {list}, the operator said."),
    ([], "Trade missions travelled between {list} this spring."),
    ([], "Road distances quoted in the guide: between {list}, all under a day's drive."),
]

def pair_list(pairs, rng, after_between):
    style = rng.choice(["and", "and", "with", "dash"])
    if style == "with" and after_between:
        style = "and"  # "between A with B" is not English
    if style == "and":
        items = [f"{a} and {b}" for a, b in pairs]
    elif style == "with":
        items = [f"{a} with {b}" for a, b in pairs]
    else:
        items = [f"{a}–{b}" for a, b in pairs]
    if len(items) > 2 and rng.random() < 0.5:
        return ", ".join(items[:-1]) + ", and " + items[-1]
    return ", ".join(items[:-1]) + (" and " if style == "dash" else ", ") + items[-1]

def main(argv):
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 300
    rng = random.Random(seed)
    for i in range(1, count + 1):
        labels, frame = rng.choice(FRAMES)
        n = rng.choice([2, 3, 3, 4, 4, 5, 5, 6])
        east, west = rng.sample(EAST, n), rng.sample(WEST, n)
        pairs = [(e, w) if rng.random() < 0.5 else (w, e) for e, w in zip(east, west)]
        listed = pair_list(pairs, rng, "between {list}" in frame)
        text = frame.format(list=listed, venue=rng.choice(VENUES))
        rels = [{"a": [a], "b": [b], "labels": labels} for a, b in pairs] if labels else []
        print(json.dumps({"doc": f"gen-pl-{i:04d}", "text": text, "lang": "en",
                          "text_type": "sentence", "relations": rels}, ensure_ascii=False))

if __name__ == "__main__":
    main(sys.argv[1:])
