/**
 * ISO 3166-1 country codes. Card platforms disagree on the format (Stripe sends alpha-2, Lithic alpha-3) while
 * Plinth stores alpha-3 everywhere, so every adapter converts through this one table.
 *
 * The table holds the 249 officially assigned codes, as pairs "alpha-2 alpha-3".
 */
const OFFICIAL =
  'AD AND AE ARE AF AFG AG ATG AI AIA AL ALB AM ARM AO AGO AQ ATA AR ARG AS ASM AT AUT AU AUS AW ABW AX ALA ' +
  'AZ AZE BA BIH BB BRB BD BGD BE BEL BF BFA BG BGR BH BHR BI BDI BJ BEN BL BLM BM BMU BN BRN BO BOL BQ BES ' +
  'BR BRA BS BHS BT BTN BV BVT BW BWA BY BLR BZ BLZ CA CAN CC CCK CD COD CF CAF CG COG CH CHE CI CIV CK COK ' +
  'CL CHL CM CMR CN CHN CO COL CR CRI CU CUB CV CPV CW CUW CX CXR CY CYP CZ CZE DE DEU DJ DJI DK DNK DM DMA ' +
  'DO DOM DZ DZA EC ECU EE EST EG EGY EH ESH ER ERI ES ESP ET ETH FI FIN FJ FJI FK FLK FM FSM FO FRO FR FRA ' +
  'GA GAB GB GBR GD GRD GE GEO GF GUF GG GGY GH GHA GI GIB GL GRL GM GMB GN GIN GP GLP GQ GNQ GR GRC GS SGS ' +
  'GT GTM GU GUM GW GNB GY GUY HK HKG HM HMD HN HND HR HRV HT HTI HU HUN ID IDN IE IRL IL ISR IM IMN IN IND ' +
  'IO IOT IQ IRQ IR IRN IS ISL IT ITA JE JEY JM JAM JO JOR JP JPN KE KEN KG KGZ KH KHM KI KIR KM COM KN KNA ' +
  'KP PRK KR KOR KW KWT KY CYM KZ KAZ LA LAO LB LBN LC LCA LI LIE LK LKA LR LBR LS LSO LT LTU LU LUX LV LVA ' +
  'LY LBY MA MAR MC MCO MD MDA ME MNE MF MAF MG MDG MH MHL MK MKD ML MLI MM MMR MN MNG MO MAC MP MNP MQ MTQ ' +
  'MR MRT MS MSR MT MLT MU MUS MV MDV MW MWI MX MEX MY MYS MZ MOZ NA NAM NC NCL NE NER NF NFK NG NGA NI NIC ' +
  'NL NLD NO NOR NP NPL NR NRU NU NIU NZ NZL OM OMN PA PAN PE PER PF PYF PG PNG PH PHL PK PAK PL POL PM SPM ' +
  'PN PCN PR PRI PS PSE PT PRT PW PLW PY PRY QA QAT RE REU RO ROU RS SRB RU RUS RW RWA SA SAU SB SLB SC SYC ' +
  'SD SDN SE SWE SG SGP SH SHN SI SVN SJ SJM SK SVK SL SLE SM SMR SN SEN SO SOM SR SUR SS SSD ST STP SV SLV ' +
  'SX SXM SY SYR SZ SWZ TC TCA TD TCD TF ATF TG TGO TH THA TJ TJK TK TKL TL TLS TM TKM TN TUN TO TON TR TUR ' +
  'TT TTO TV TUV TW TWN TZ TZA UA UKR UG UGA UM UMI US USA UY URY UZ UZB VA VAT VC VCT VE VEN VG VGB VI VIR ' +
  'VN VNM VU VUT WF WLF WS WSM YE YEM YT MYT ZA ZAF ZM ZMB ZW ZWE';

/**
 * Codes outside the official list that card networks still put in merchant records: Kosovo's user-assigned
 * XK/XKX and the dissolved Netherlands Antilles (AN/ANT, transitionally reserved). Rejecting them would decline
 * real merchants, so they are accepted alongside the official codes.
 */
const NETWORK_EXTRAS = 'XK XKX AN ANT';

const ALPHA2_TO_3 = new Map<string, string>();
const ALPHA3 = new Set<string>();
const OFFICIAL_ALPHA3 = new Set<string>();

function load(pairs: string, official: boolean): void {
  const parts = pairs.split(' ');
  for (let i = 0; i < parts.length; i += 2) {
    const [a2, a3] = [parts[i]!, parts[i + 1]!];
    ALPHA2_TO_3.set(a2, a3);
    ALPHA3.add(a3);
    if (official) OFFICIAL_ALPHA3.add(a3);
  }
}
load(OFFICIAL, true);
load(NETWORK_EXTRAS, false);

/** Number of officially assigned codes in the table (249). */
export const OFFICIAL_COUNTRY_COUNT = OFFICIAL_ALPHA3.size;

/** True for an upper-case alpha-3 code Plinth accepts (official, or a network code listed above). */
export const isAlpha3 = (code: string): boolean => ALPHA3.has(code);

/** True only for the officially assigned alpha-3 codes. */
export const isOfficialAlpha3 = (code: string): boolean => OFFICIAL_ALPHA3.has(code);

/**
 * Normalizes a country code given as alpha-2 or alpha-3 (any case, surrounding spaces ignored) to alpha-3.
 * Returns undefined for anything else, so callers can turn it into a validation outcome.
 */
export function toAlpha3(code: string): string | undefined {
  const c = code.trim().toUpperCase();
  if (c.length === 2) return ALPHA2_TO_3.get(c);
  if (c.length === 3 && ALPHA3.has(c)) return c;
  return undefined;
}

/** The alpha-2 code for an alpha-3 code, or undefined. */
export function toAlpha2(code: string): string | undefined {
  const c = code.trim().toUpperCase();
  for (const [a2, a3] of ALPHA2_TO_3) if (a3 === c) return a2;
  return undefined;
}
