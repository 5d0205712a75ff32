// Swahili and Sheng read as English before matching: everyday service words mapped to the English
// concept ("bei" → price), and verb forms taken apart ("mnafungua" = m- you + -na- now + fungua open,
// "nitalipa" = I will pay, "nitumie" = send me) so any person, tense or ending finds the same root.
// General language knowledge, not phrases of any one business.

/** Swahili (and Sheng) words and verb roots by the English word they mean; '' marks a function word. */
const LEXICON: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // Money and paying.
    bei: 'price',
    gharama: 'cost',
    pesa: 'money',
    hela: 'money',
    doh: 'money',
    ganji: 'money',
    malipo: 'payment',
    lipa: 'pay',
    lipia: 'pay',
    risiti: 'receipt',
    punguzo: 'discount',
    punguza: 'discount',
    ofa: 'offer',
    bure: 'free',
    ghali: 'expensive',
    rahisi: 'cheap',
    deni: 'credit',
    mkopo: 'loan',
    awamu: 'instalments',
    ada: 'fees',
    karo: 'fees',
    nauli: 'fare',
    // Time.
    leo: 'today',
    kesho: 'tomorrow',
    jana: 'yesterday',
    sasa: 'now',
    sai: 'now',
    wiki: 'week',
    mwezi: 'month',
    mwaka: 'year',
    siku: 'day',
    usiku: 'night',
    asubuhi: 'morning',
    mchana: 'afternoon',
    jioni: 'evening',
    jumatatu: 'monday',
    jumanne: 'tuesday',
    jumatano: 'wednesday',
    alhamisi: 'thursday',
    ijumaa: 'friday',
    jumamosi: 'saturday',
    jumapili: 'sunday',
    wikendi: 'weekend',
    sikukuu: 'holiday',
    likizo: 'holiday',
    masaa: 'hours',
    mapema: 'early',
    kuchelewa: 'late',
    chelewa: 'late',
    // Places and getting there.
    wapi: 'where',
    mahali: 'place',
    eneo: 'area',
    mtaa: 'street',
    karibu: 'near',
    mbali: 'far',
    ramani: 'map',
    anwani: 'address',
    jengo: 'building',
    ghorofa: 'floor',
    barabara: 'road',
    mji: 'town',
    tawi: 'branch',
    maegesho: 'parking',
    egesha: 'park',
    usafiri: 'transport',
    gari: 'vehicle',
    safari: 'trip',
    tiketi: 'ticket',
    // Opening, ordering, sending.
    fungua: 'open',
    wazi: 'open',
    funga: 'close',
    tuma: 'send',
    peleka: 'deliver',
    fikisha: 'deliver',
    leta: 'bring',
    usafirishaji: 'delivery',
    nunua: 'buy',
    uza: 'sell',
    agiza: 'order',
    oda: 'order',
    rudisha: 'return',
    badilisha: 'exchange',
    badili: 'change',
    tengeneza: 'repair',
    rekebisha: 'repair',
    karabati: 'repair',
    kodi: 'rent',
    kodisha: 'rent',
    hifadhi: 'reserve',
    panga: 'book',
    miadi: 'appointment',
    nafasi: 'slot',
    pokea: 'receive',
    chukua: 'take',
    kubali: 'accept',
    fika: 'arrive',
    anza: 'start',
    maliza: 'finish',
    tumia: 'use',
    pika: 'cook',
    safisha: 'clean',
    kata: 'cut',
    tibu: 'treat',
    pima: 'test',
    sajili: 'register',
    andikisha: 'register',
    enda: 'go',
    toka: 'leave',
    ingia: 'enter',
    ngoja: 'wait',
    subiri: 'wait',
    // People, things, services.
    bidhaa: 'product',
    mzigo: 'parcel',
    kifurushi: 'package',
    zawadi: 'gift',
    dhamana: 'warranty',
    hakikisho: 'guarantee',
    mwalimu: 'teacher',
    somo: 'lesson',
    masomo: 'lessons',
    darasa: 'class',
    shule: 'school',
    fundisha: 'teach',
    jifunza: 'learn',
    chakula: 'food',
    vyakula: 'food',
    kinywaji: 'drink',
    vinywaji: 'drinks',
    menyu: 'menu',
    nywele: 'hair',
    suka: 'braid',
    meno: 'teeth',
    jino: 'tooth',
    daktari: 'doctor',
    dawa: 'medicine',
    kliniki: 'clinic',
    hospitali: 'hospital',
    simu: 'phone',
    namba: 'number',
    nambari: 'number',
    piga: 'call',
    ongea: 'talk',
    barua: 'letter',
    mpya: 'new',
    mtumba: 'secondhand',
    mitumba: 'secondhand',
    tumika: 'used',
    kubwa: 'big',
    ndogo: 'small',
    bima: 'insurance',
    harusi: 'wedding',
    sherehe: 'party',
    meza: 'table',
    watu: 'people',
    mtu: 'person',
    mtoto: 'child',
    watoto: 'children',
    wanaume: 'men',
    wanawake: 'women',
    nyama: 'meat',
    bila: 'without',
    nyoa: 'shave',
    vunjika: 'broken',
    haribika: 'broken',
    ona: 'see',
    juzi: 'recently',
    chini: 'minimum',
    // Numbers, so "watu sita" reads as "six people".
    moja: 'one',
    mbili: 'two',
    tatu: 'three',
    nne: 'four',
    tano: 'five',
    sita: 'six',
    saba: 'seven',
    nane: 'eight',
    tisa: 'nine',
    kumi: 'ten',
    // Travel and transport.
    basi: 'bus',
    matatu: 'minibus',
    dereva: 'driver',
    endesha: 'drive',
    abiria: 'passenger',
    kiti: 'seat',
    njia: 'route',
    safiri: 'travel',
    mizigo: 'luggage',
    begi: 'bag',
    mkoba: 'bag',
    sanduku: 'box',
    beba: 'carry',
    ratiba: 'schedule',
    mwisho: 'last',
    kwanza: 'first',
    tao: 'town',
    jiji: 'city',
    // Losing, forgetting, complaining, joining.
    sahau: 'forget',
    poteza: 'lose',
    potea: 'lost',
    lalamika: 'complain',
    malalamiko: 'complaint',
    ripoti: 'report',
    jiunga: 'join',
    ingiza: 'register',
    mwanachama: 'member',
    wanachama: 'members',
    vibaya: 'badly',
    mbaya: 'bad',
    nzuri: 'good',
    // Things and everyday services.
    kitu: 'thing',
    vitu: 'things',
    weka: 'put',
    funza: 'teach',
    mtihani: 'exam',
    sare: 'uniform',
    muhula: 'term',
    gitaa: 'guitar',
    ngoma: 'drum',
    kinanda: 'keyboard',
    wimbo: 'song',
    muziki: 'music',
    maumivu: 'pain',
    uma: 'hurt',
    ngoa: 'extract',
    ziba: 'fill',
    kucha: 'nails',
    rangi: 'colour',
    kinyozi: 'barber',
    saluni: 'salon',
    mboga: 'vegetables',
    kuku: 'chicken',
    samaki: 'fish',
    nguruwe: 'pork',
    pombe: 'alcohol',
    chai: 'tea',
    maji: 'water',
    wali: 'rice',
    mayai: 'eggs',
    maharagwe: 'beans',
    chajio: 'dinner',
    // Clinics, schools, offices, money.
    dharura: 'emergency',
    haraka: 'urgent',
    mgonjwa: 'patient',
    ujauzito: 'pregnancy',
    mwanafunzi: 'student',
    mzazi: 'parent',
    ofisi: 'office',
    kituo: 'station',
    fundi: 'technician',
    kazi: 'work',
    kadi: 'card',
    benki: 'bank',
    akaunti: 'account',
    mlango: 'door',
    mbele: 'front',
    nyuma: 'back',
    urembo: 'beauty',
    wigi: 'wig',
    rasta: 'dreadlocks',
    spika: 'speaker',
    // Sheng.
    keja: 'house',
    ocha: 'upcountry',
    mathree: 'minibus',
    nganya: 'minibus',
    ndai: 'vehicle',
    kabisa: '',
    mangapi: '',
    wangapi: '',
    aje: '',
    vipi: '',
    gani: '',
    kwenu: '',
    hapo: '',
    hapa: '',
    ipo: '',
    kuja: '',
    nataka: '',
    yangu: '',
    yako: '',
    wenu: '',
    wangu: '',
    wao: '',
    kuwa: '',
    // Function words and light verbs: can, want, know, help, have, be (at).
    weza: '',
    eza: '',
    taka: '',
    jua: '',
    saidia: '',
    omba: '',
    uliza: '',
    ambia: '',
    pata: '',
    fanya: '',
    mko: '',
    uko: '',
    tuko: '',
    niko: '',
    iko: '',
    ziko: '',
    yuko: '',
    wako: '',
    mna: '',
    una: '',
    kuna: '',
    je: '',
    ama: '',
    lakini: '',
    sana: '',
    tu: '',
    pia: '',
    bado: '',
    kweli: '',
    sawa: '',
    poa: '',
  }).map(([word, english]) => [word.replace(/_$/, ''), english]),
);

/** Subject prefixes (I, you, he/she, we, you all, they, it/they for things) and the infinitive ku-. */
const SUBJECTS = ['ni', 'n', 'u', 'a', 'tu', 'm', 'mu', 'wa', 'i', 'zi', 'ki', 'vi', 'li', 'ya'];
/** Tense and aspect markers: present, past, future, perfect, conditional, habitual. */
const TENSES = ['na', 'li', 'ta', 'me', 'ki', 'nge', 'ka', 'a'];
/** Object markers that may follow the tense ("ni-ta-ku-tumia", "m-na-ni-tumia"). */
const OBJECTS = ['', 'ni', 'ku', 'm', 'mw', 'tu', 'wa', 'ki', 'vi', 'li', 'i', 'zi'];
/** Negative subject prefixes, which take no tense marker ("ham-fungu-i" = you all don't open). */
const NEGATIVES = ['si', 'hu', 'ha', 'hatu', 'ham', 'hawa', 'hai', 'hazi'];
/**
 * Sheng puts an English verb behind a Swahili prefix ("mnadeliver", "tutaship"). Only two-syllable prefixes,
 * which no English word begins with, and the infinitive ku- ("kuhire"), only before four or more letters.
 */
const SHENG_PREFIXES = [
  'ku',
  'mna',
  'tuna',
  'wana',
  'nina',
  'mta',
  'tuta',
  'wata',
  'nita',
  'uta',
  'nime',
  'ume',
  'tume',
  'mme',
];

const PREFIXES: ReadonlySet<string> = (() => {
  // Bare subject or object markers too: the subjunctive and requests take no tense ("ni-tum-ie" = send me).
  const all = new Set<string>(['ku', 'kum', 'kuni', 'kutu', 'kuwa', 'kuji', ...NEGATIVES]);
  for (const subject of SUBJECTS)
    for (const tense of TENSES) for (const object of OBJECTS) all.add(subject + tense + object);
  return all;
})();
const LONGEST_PREFIX = Math.max(...[...PREFIXES].map((prefix) => prefix.length));

/**
 * Bare subject or object markers, as in the subjunctive and requests, which take no tense ("ni-tum-ie" = send
 * me). As short as an English word's first letters, they count only before a changed ending and a root of four
 * letters or more, so "made" and "name" stay English.
 */
const BARE_MARKERS = [...new Set([...SUBJECTS, ...OBJECTS.filter(Boolean)])].sort((a, b) => b.length - a.length);

/** The root a verb ending points back to: "tumie" (send to me) → tuma, "fungwa" (be closed) → funga. */
function withDictionaryEnding(rest: string): string[] {
  const forms = [rest];
  // Passive and applicative of roots ending in a vowel take an "l" ("fungu-liwa" = be opened, "fungu-lia").
  for (const ending of [
    'liwa',
    'lewa',
    'lia',
    'lea',
    'iwa',
    'ewa',
    'wa',
    'ie',
    'ee',
    'ia',
    'ea',
    'ika',
    'eka',
    'e',
    'i',
  ]) {
    if (rest.length > ending.length + 1 && rest.endsWith(ending)) forms.push(`${rest.slice(0, -ending.length)}a`);
  }
  return forms;
}

function lexiconRoot(rest: string): string | undefined {
  const [asWritten, ...withEnding] = withDictionaryEnding(rest);
  const direct = LEXICON.get(asWritten ?? '');
  if (direct !== undefined) return direct;
  // A changed ending must lead to a content word: "ni-li-pie" is not "pia" (also) but "ni-lip-ie" (pay for me).
  for (const form of withEnding) if (LEXICON.get(form)) return LEXICON.get(form);
  return undefined;
}

/**
 * Noun-class prefixes of the plural and the singular (ki-/vi- "kiti, viti" seat, m-/mi- "mzigo, mizigo"
 * luggage, m-/wa- "mwalimu, walimu" teacher, ji-/ma- or none/ma- "gari, magari" vehicle): a form of a noun the
 * lexicon lists in the other number is read as that noun.
 */
const NOUN_CLASS_SWAPS: ReadonlyArray<readonly [string, string]> = [
  ['vi', 'ki'],
  ['vy', 'ch'],
  ['mi', 'm'],
  ['w', 'mw'],
  ['wa', 'm'],
  ['ma', 'ji'],
  ['ma', ''],
];

function otherNumber(word: string): string | undefined {
  for (const [plural, singular] of NOUN_CLASS_SWAPS) {
    for (const [from, to] of [
      [plural, singular],
      [singular, plural],
    ] as const) {
      if (!word.startsWith(from) || word.length - from.length < 2) continue;
      const english = LEXICON.get(to + word.slice(from.length));
      if (english) return english;
    }
  }
  return undefined;
}

/**
 * The English words a normalised word stands for: the lexicon's word, the root of a Swahili verb form, the
 * English verb in a Sheng form, nothing for a function word, or the word itself.
 */
export function englishFor(word: string): string[] {
  const direct = LEXICON.get(word);
  if (direct !== undefined) return direct === '' ? [] : [direct];
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return [word];
  // A listed noun in the other number before any verb reading: "wanafunzi" is students, not "they learn".
  const noun = otherNumber(word);
  if (noun !== undefined) return [noun];
  // Longest first: "tuna" before "tu", so the most of the word is explained. A few Set lookups, not a scan.
  for (let length = Math.min(LONGEST_PREFIX, word.length - 2); length >= 2; length--) {
    if (!PREFIXES.has(word.slice(0, length))) continue;
    const english = lexiconRoot(word.slice(length));
    if (english !== undefined) return english === '' ? [] : [english];
  }
  for (const prefix of BARE_MARKERS) {
    if (!word.startsWith(prefix)) continue;
    const rest = word.slice(prefix.length);
    const root = withDictionaryEnding(rest)
      .slice(1)
      .find((form) => form.length >= 4 && LEXICON.has(form));
    if (root !== undefined) return LEXICON.get(root) ? [LEXICON.get(root) ?? ''] : [];
  }
  for (const prefix of SHENG_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 4) return [word.slice(prefix.length)];
  }
  return [word];
}
