/**
 * Word lists the demo generator draws from. Names keep their accents (the CSV files are UTF-8);
 * e-mail addresses use an ASCII-folded form of them.
 */

export const COUNTRIES = ['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'NL', 'BE'] as const
export type Country = (typeof COUNTRIES)[number]

/** Share of profiles per country, in COUNTRIES order (sums to 100). */
export const COUNTRY_WEIGHTS = [30, 18, 15, 12, 9, 8, 5, 3]

/** How mobile numbers look in one country: E.164 prefix plus national prefixes and lengths. */
export interface PhonePlan {
  /** Country calling code, without `+`. */
  callingCode: string
  /** National significant number prefixes and how many random digits follow each (the first is 2-9). */
  prefixes: readonly (readonly [prefix: string, digits: number])[]
  /** The national format of a national significant number, e.g. `06 12 34 56 78`. */
  national: (nsn: string) => string
}

export interface CountryVocabulary {
  female: readonly string[]
  male: readonly string[]
  last: readonly string[]
  cities: readonly string[]
  /** Local e-mail providers, used next to the international ones. */
  domains: readonly string[]
  currency: 'EUR' | 'GBP' | 'USD'
  phone: PhonePlan
}

// Prefixes were checked against libphonenumber-js/max: every number they produce is a valid mobile
// (e.g. FR 639 and 69x, GB 7457/7509/7524/76xx/7700/7781/7797/7829/7839/7911/7937 are not).
const group = (digits: string, sizes: readonly number[]) => {
  const parts: string[] = []
  let at = 0
  for (const size of sizes) {
    parts.push(digits.slice(at, at + size))
    at += size
  }
  if (at < digits.length) parts.push(digits.slice(at))
  return parts.filter((p) => p !== '').join(' ')
}

/** A word list written as comma-separated text: short to read, and names may hold spaces (not commas). */
const list = (text: string) =>
  text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '')

/** Prefixes that are followed by `digits` more digits. */
const followedBy = (digits: number, prefixes: readonly number[]) =>
  prefixes.map((p) => [String(p), digits] as const)

/** Prefixes from..to (but not those in skip), each followed by `digits` more digits. */
const range = (from: number, to: number, digits: number, skip: number[] = []) =>
  followedBy(
    digits,
    Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((p) => !skip.includes(p)),
  )

export const VOCABULARY: Record<Country, CountryVocabulary> = {
  FR: {
    female: list(`
      Marie, Camille, Léa, Manon, Chloé, Emma, Inès, Sarah, Julie, Laura, Anaïs, Céline, Nathalie, Isabelle,
      Sophie, Claire, Élodie, Pauline, Lucie, Zoé, Hélène, Margaux, Amélie, Océane, Valérie, Sandrine,
      Aurélie, Juliette, Louise, Agnès
    `),
    male: list(`
      Jean, Pierre, Nicolas, Julien, Thomas, Antoine, Maxime, Alexandre, Hugo, Lucas, François, Sébastien,
      Mathieu, Olivier, Laurent, Philippe, Guillaume, Romain, Clément, Théo, Jérôme, Benoît, Cédric, Frédéric,
      Stéphane, Éric, Louis, Arthur, Raphaël, Gaël
    `),
    last: list(`
      Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, Lefèvre,
      Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André, Lefebvre, Mercier,
      Dupont, Lambert, Bonnet, François, Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, Muller,
      Henry, Roussel, Nicolas, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont, Lopez, Fontaine, Chevalier,
      Robin
    `),
    cities: list(`
      Paris, Paris, Paris, Paris, Marseille, Marseille, Lyon, Lyon, Toulouse, Nice, Nantes, Strasbourg,
      Montpellier, Bordeaux, Lille, Rennes, Reims, Le Havre, Saint-Étienne, Toulon, Grenoble, Dijon, Angers,
      Nîmes, Aix-en-Provence
    `),
    domains: ['orange.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'wanadoo.fr'],
    currency: 'EUR',
    phone: {
      callingCode: '33',
      prefixes: [...range(60, 68, 7, [63]), ...range(630, 638, 6), ...range(73, 79, 7)],
      national: (nsn) => group(`0${nsn}`, [2, 2, 2, 2, 2]),
    },
  },
  DE: {
    female: list(`
      Anna, Lena, Julia, Laura, Sarah, Lisa, Katharina, Sabine, Petra, Monika, Claudia, Stefanie, Jana,
      Hannah, Lea, Sophie, Mia, Emilia, Jülide, Ursula, Birgit, Andrea, Nicole, Melanie, Sandra, Franziska,
      Charlotte, Marie, Greta, Jessica
    `),
    male: list(`
      Thomas, Michael, Andreas, Stefan, Christian, Markus, Jürgen, Uwe, Klaus, Frank, Alexander, Daniel,
      Tobias, Sebastian, Jan, Lukas, Jonas, Felix, Maximilian, Paul, Jörg, Sven, Matthias, Florian, Tim,
      Niklas, Leon, Ben, Dieter, Günter
    `),
    last: list(`
      Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer, Koch,
      Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, Hofmann, Hartmann,
      Lange, Schmitt, Werner, Schmitz, Krause, Meier, Lehmann, Schmid, Schulze, Maier, Köhler, Herrmann,
      König, Walter, Mayer, Huber
    `),
    cities: list(`
      Berlin, Berlin, Berlin, Hamburg, Hamburg, München, München, Köln, Frankfurt am Main, Stuttgart,
      Düsseldorf, Leipzig, Dortmund, Essen, Bremen, Dresden, Hannover, Nürnberg
    `),
    domains: ['gmx.de', 'web.de', 't-online.de', 'freenet.de'],
    currency: 'EUR',
    phone: {
      callingCode: '49',
      prefixes: [
        ...followedBy(8, [151, 152, 157, 159, 170, 171, 172, 175, 176, 177, 178, 179]),
        ...followedBy(7, [160, 162, 163]),
      ],
      national: (nsn) => group(`0${nsn}`, [4]),
    },
  },
  GB: {
    female: list(`
      Olivia, Amelia, Isla, Ava, Emily, Sophie, Grace, Lily, Jessica, Charlotte, Sarah, Emma, Hannah, Lucy,
      Rebecca, Katie, Laura, Rachel, Chloe, Megan, Siobhan, Niamh, Eleanor, Harriet, Victoria, Zoe, Helen,
      Claire, Joanne, Aisha
    `),
    male: list(`
      Oliver, George, Harry, Jack, Jacob, Charlie, Thomas, James, William, Daniel, David, John, Michael, Paul,
      Mark, Andrew, Richard, Stephen, Matthew, Christopher, Callum, Liam, Ewan, Rhys, Owen, Alfie, Samuel,
      Joseph, Mohammed, Ben
    `),
    last: list(`
      Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts, Robinson,
      Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke, Patel, Jackson,
      Wood, Turner, Martin, Cooper, Hill, O'Brien, O'Neill, MacDonald, Campbell, Stewart, Murphy, Ward,
      Morris, King, Baker
    `),
    cities: list(`
      London, London, London, London, Birmingham, Manchester, Manchester, Leeds, Glasgow, Liverpool, Bristol,
      Sheffield, Edinburgh, Cardiff, Leicester, Nottingham, Newcastle upon Tyne, Belfast, Brighton,
      Southampton
    `),
    domains: ['btinternet.com', 'sky.com', 'yahoo.co.uk', 'hotmail.co.uk'],
    currency: 'GBP',
    phone: {
      callingCode: '44',
      prefixes: [
        ...range(740, 749, 7, [745]),
        ...range(751, 759, 7, [752]),
        ...range(771, 778, 7),
        ...range(780, 789, 7, [782, 783]),
        ...range(790, 799, 7, [791, 793]),
      ],
      national: (nsn) => group(`0${nsn}`, [5]),
    },
  },
  US: {
    female: list(`
      Mary, Jennifer, Linda, Elizabeth, Susan, Jessica, Sarah, Karen, Nancy, Lisa, Ashley, Emily, Michelle,
      Amanda, Melissa, Stephanie, Rebecca, Laura, Megan, Olivia, Madison, Hannah, Brittany, Samantha, Kayla,
      Lauren, Maria, Sofia, Destiny, Jasmine
    `),
    male: list(`
      James, Robert, John, Michael, David, William, Richard, Joseph, Thomas, Christopher, Charles, Daniel,
      Matthew, Anthony, Mark, Steven, Andrew, Joshua, Kevin, Brian, Ryan, Jacob, Tyler, Brandon, Justin,
      Ethan, Noah, Jose, Carlos, DeShawn
    `),
    last: list(`
      Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez, Lopez,
      Gonzalez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez, Thompson, White, Harris,
      Sanchez, Clark, Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Nguyen, Kim, Hill,
      Flores
    `),
    cities: [
      ...list(`
        New York, New York, New York, Los Angeles, Los Angeles, Chicago, Chicago, Houston, Phoenix,
        Philadelphia, San Antonio, San Diego, Dallas, Austin, San Francisco, Seattle, Boston, Miami, Denver
      `),
      // the comma makes CSV writers quote it
      'Washington, D.C.',
    ],
    domains: ['yahoo.com', 'aol.com', 'comcast.net', 'att.net'],
    currency: 'USD',
    phone: {
      callingCode: '1',
      // area code, then an exchange (its first digit is 2-9), then 4 digits
      prefixes: followedBy(7, [212, 213, 305, 312, 415, 617, 646, 202, 206, 512, 713, 303]),
      national: (nsn) => `(${nsn.slice(0, 3)}) ${nsn.slice(3, 6)}-${nsn.slice(6)}`,
    },
  },
  ES: {
    female: list(`
      María, Lucía, Carmen, Ana, Laura, Marta, Paula, Sara, Elena, Cristina, Isabel, Raquel, Pilar, Rocío,
      Nuria, Alba, Irene, Beatriz, Sofía, Lola
    `),
    male: list(`
      Antonio, José, Manuel, Francisco, David, Juan, Javier, Daniel, Carlos, Jesús, Alejandro, Miguel, Rafael,
      Pablo, Sergio, Álvaro, Jorge, Adrián, Íñigo, Hugo
    `),
    last: list(`
      García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Martín, Jiménez, Ruiz,
      Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, Gutiérrez, Navarro, Torres, Domínguez, Vázquez,
      Ramos, Gil, Ramírez, Serrano, Blanco, Molina
    `),
    cities: list(`
      Madrid, Madrid, Madrid, Barcelona, Barcelona, Valencia, Sevilla, Zaragoza, Málaga, Murcia, Palma,
      Bilbao, Alicante, Córdoba, Valladolid, Vigo, Gijón, A Coruña
    `),
    domains: ['telefonica.net', 'yahoo.es', 'hotmail.es'],
    currency: 'EUR',
    phone: {
      callingCode: '34',
      prefixes: [...range(60, 69, 7), ...range(71, 74, 7)],
      national: (nsn) => group(nsn, [3, 2, 2, 2]),
    },
  },
  IT: {
    female: list(`
      Giulia, Francesca, Chiara, Sara, Martina, Valentina, Alessandra, Federica, Elena, Silvia, Anna, Laura,
      Paola, Roberta, Simona, Giorgia, Aurora, Sofia, Beatrice, Noemi
    `),
    male: list(`
      Marco, Alessandro, Giuseppe, Francesco, Andrea, Luca, Matteo, Lorenzo, Davide, Simone, Giovanni,
      Roberto, Stefano, Paolo, Antonio, Riccardo, Niccolò, Federico, Tommaso, Fabio
    `),
    last: list(`
      Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti,
      De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana, Santoro, Mariani,
      Rinaldi, Caruso, Ferrara, Galli, Martini, Leone
    `),
    cities: list(`
      Roma, Roma, Roma, Milano, Milano, Napoli, Torino, Palermo, Genova, Bologna, Firenze, Bari, Catania,
      Venezia, Verona, Padova, Trieste
    `),
    domains: ['libero.it', 'virgilio.it', 'alice.it', 'tiscali.it'],
    currency: 'EUR',
    phone: {
      callingCode: '39',
      prefixes: range(31, 39, 8),
      national: (nsn) => group(nsn, [3, 3, 4]),
    },
  },
  NL: {
    female: list(`
      Emma, Julia, Sophie, Anna, Lisa, Sanne, Fleur, Eva, Femke, Lotte, Anouk, Iris, Maud, Noor, Tess, Esmée,
      Marieke, Ingrid, Annelies, Yara
    `),
    male: list(`
      Daan, Sem, Lucas, Jesse, Thijs, Bram, Lars, Ruben, Tim, Sander, Jeroen, Pieter, Willem, Joost, Bas,
      Stijn, Koen, Maarten, Niels, Hendrik
    `),
    last: list(`
      de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer, de Boer,
      Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer
    `),
    cities: list(`
      Amsterdam, Amsterdam, Rotterdam, Den Haag, Utrecht, Eindhoven, Groningen, Tilburg, Almere, Breda,
      Nijmegen, 's-Hertogenbosch
    `),
    domains: ['ziggo.nl', 'kpnmail.nl', 'planet.nl'],
    currency: 'EUR',
    phone: {
      callingCode: '31',
      prefixes: [...range(61, 65, 7), ['68', 7]],
      national: (nsn) => group(`0${nsn}`, [2]),
    },
  },
  BE: {
    female: list(`
      Emma, Louise, Marie, Julie, Sarah, Laura, Lotte, Elise, Charlotte, Manon, Nathalie, Sofie, Annelies,
      Inge, Els, Chloé, Camille, Léa, Lien, Hanne
    `),
    male: list(`
      Lucas, Louis, Noah, Arthur, Jules, Thomas, Pieter, Wouter, Bart, Koen, Jan, Tom, Stijn, Kevin, Nicolas,
      Maxime, Olivier, Mathis, Victor, Jef
    `),
    last: list(`
      Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, Dubois, Lambert,
      Dupont, Martin, Simon, Vermeulen, Van de Velde, Lemmens, Hermans, Leclercq
    `),
    cities: list(`
      Bruxelles, Bruxelles, Antwerpen, Antwerpen, Gent, Charleroi, Liège, Brugge, Namur, Leuven, Mons,
      Mechelen
    `),
    domains: ['skynet.be', 'telenet.be', 'proximus.be'],
    currency: 'EUR',
    phone: {
      callingCode: '32',
      prefixes: range(46, 49, 7),
      national: (nsn) => group(`0${nsn}`, [4, 2, 2, 2]),
    },
  },
}

/** International providers; gmail.com is the most common domain everywhere. */
export const GLOBAL_DOMAINS = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
]

/** Tags some Gmail users add after `+`. */
export const GMAIL_TAGS = ['shop', 'news', 'promo', 'spam', 'orders', 'deals', 'store', 'web']

export const GENDERS = ['f', 'm', 'x'] as const
export const LOYALTY_TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const
export const CURRENCIES = ['EUR', 'GBP', 'USD'] as const
export const CATEGORIES = [
  'electronics',
  'books',
  'fashion',
  'home',
  'sports',
  'beauty',
  'toys',
  'grocery',
] as const
export const CHANNELS = ['web', 'store', 'app'] as const

/** Typical basket per category: median amount in currency units and spread (lognormal sigma). */
export const CATEGORY_AMOUNTS: Record<(typeof CATEGORIES)[number], readonly [median: number, sigma: number]> =
  {
    electronics: [180, 0.9],
    books: [18, 0.5],
    fashion: [55, 0.7],
    home: [70, 0.8],
    sports: [45, 0.8],
    beauty: [30, 0.6],
    toys: [28, 0.6],
    grocery: [42, 0.5],
  }
