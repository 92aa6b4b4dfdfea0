import type { Texts } from '../shared/language.js';

/**
 * The service catalogue shipped with the project: what people can apply for, which institution
 * handles it, who may apply, what they must upload and how long the institution has to decide.
 * Ids are stable (applications name them in their events), so a service is never renamed by id.
 */
export type Audience = 'CITIZEN' | 'BUSINESS' | 'FOREIGNER';

/** Which registry reading an application attaches when it is submitted. */
export type RegistrySource = 'CIVIL_REGISTRY' | 'BUSINESS_REGISTRY';

export interface Institution {
  id: string;
  nameSq: string;
  nameEn: string;
}

export interface CatalogueService {
  id: string;
  nameSq: string;
  nameEn: string;
  institution: string;
  audiences: Audience[];
  /** One uploaded PDF is required per entry, in this order; each named in both languages. */
  requiredDocuments: Texts[];
  deadlineDays: number;
  /** The record read from a registry at submission (never written), for applicants who have one. */
  registry: RegistrySource | null;
}

export const INSTITUTIONS: Institution[] = [
  {
    id: 'DPGJC',
    nameSq: 'Drejtoria e Përgjithshme e Gjendjes Civile',
    nameEn: 'General Directorate of Civil Status',
  },
  {
    id: 'DPSHTRR',
    nameSq: 'Drejtoria e Përgjithshme e Shërbimit të Transportit Rrugor',
    nameEn: 'General Directorate of Road Transport Services',
  },
  { id: 'ISSH', nameSq: 'Instituti i Sigurimeve Shoqërore', nameEn: 'Social Insurance Institute' },
  { id: 'QKB', nameSq: 'Qendra Kombëtare e Biznesit', nameEn: 'National Business Centre' },
  {
    id: 'DKM',
    nameSq: 'Drejtoria e Kufirit dhe Migracionit',
    nameEn: 'Border and Migration Directorate',
  },
  { id: 'DPT', nameSq: 'Drejtoria e Përgjithshme e Tatimeve', nameEn: 'General Directorate of Taxation' },
];

export const SERVICES: CatalogueService[] = [
  {
    id: 'DPGJC-PERSONAL-CERTIFICATE',
    nameSq: 'Certifikatë personale',
    nameEn: 'Personal certificate',
    institution: 'DPGJC',
    audiences: ['CITIZEN'],
    requiredDocuments: [],
    deadlineDays: 1,
    registry: 'CIVIL_REGISTRY',
  },
  {
    id: 'DPGJC-FAMILY-CERTIFICATE',
    nameSq: 'Certifikatë familjare',
    nameEn: 'Family certificate',
    institution: 'DPGJC',
    audiences: ['CITIZEN'],
    requiredDocuments: [],
    deadlineDays: 1,
    registry: 'CIVIL_REGISTRY',
  },
  {
    id: 'DPGJC-MARRIAGE-ABROAD',
    nameSq: 'Regjistrimi i martesës së lidhur jashtë shtetit',
    nameEn: 'Registration of a marriage concluded abroad',
    institution: 'DPGJC',
    audiences: ['CITIZEN', 'FOREIGNER'],
    requiredDocuments: [
      { sq: 'Certifikatë martese (me apostilë)', en: 'Marriage certificate (apostilled)' },
      { sq: 'Pasaporta e bashkëshortit të huaj', en: 'Passport of the foreign spouse' },
    ],
    deadlineDays: 30,
    registry: 'CIVIL_REGISTRY',
  },
  {
    id: 'DPSHTRR-INTERNATIONAL-LICENCE',
    nameSq: 'Leje drejtimi ndërkombëtare',
    nameEn: 'International driving licence',
    institution: 'DPSHTRR',
    audiences: ['CITIZEN'],
    requiredDocuments: [
      { sq: 'Leje drejtimi shqiptare (të dyja anët)', en: 'Albanian driving licence (both sides)' },
      { sq: 'Fotografi pasaporte', en: 'Passport photo' },
    ],
    deadlineDays: 10,
    registry: 'CIVIL_REGISTRY',
  },
  {
    id: 'DPSHTRR-LICENCE-CONVERSION',
    nameSq: 'Konvertimi i lejes së huaj të drejtimit',
    nameEn: 'Conversion of a foreign driving licence',
    institution: 'DPSHTRR',
    audiences: ['CITIZEN', 'FOREIGNER'],
    requiredDocuments: [
      { sq: 'Leje drejtimi e huaj', en: 'Foreign driving licence' },
      { sq: 'Raport mjekësor', en: 'Medical certificate' },
    ],
    deadlineDays: 30,
    registry: null,
  },
  {
    id: 'ISSH-OLD-AGE-PENSION',
    nameSq: 'Aplikim për pension pleqërie',
    nameEn: 'Old-age pension application',
    institution: 'ISSH',
    audiences: ['CITIZEN'],
    requiredDocuments: [
      { sq: 'Libreza e punës', en: 'Employment record book' },
      { sq: 'Vërtetim i llogarisë bankare', en: 'Bank account certificate' },
    ],
    deadlineDays: 60,
    registry: 'CIVIL_REGISTRY',
  },
  {
    id: 'QKB-BUSINESS-REGISTRATION',
    nameSq: 'Regjistrimi i shoqërisë tregtare',
    nameEn: 'Business registration',
    institution: 'QKB',
    audiences: ['CITIZEN', 'FOREIGNER'],
    requiredDocuments: [
      { sq: 'Akti i themelimit', en: 'Founding act' },
      { sq: 'Statuti', en: 'Statute' },
    ],
    deadlineDays: 1,
    registry: null,
  },
  {
    id: 'QKB-EXTRACT',
    nameSq: 'Ekstrakt historik i subjektit',
    nameEn: 'Historical business extract',
    institution: 'QKB',
    audiences: ['BUSINESS'],
    requiredDocuments: [],
    deadlineDays: 1,
    registry: 'BUSINESS_REGISTRY',
  },
  {
    id: 'DPT-TAX-CLEARANCE',
    nameSq: 'Vërtetim për shlyerjen e detyrimeve tatimore',
    nameEn: 'Tax clearance certificate',
    institution: 'DPT',
    audiences: ['BUSINESS'],
    requiredDocuments: [
      { sq: 'Pasqyrat financiare vjetore më të fundit', en: 'Latest annual financial statement' },
    ],
    deadlineDays: 5,
    registry: 'BUSINESS_REGISTRY',
  },
  {
    id: 'DKM-RESIDENCE-PERMIT',
    nameSq: 'Leje qëndrimi për shtetas të huaj',
    nameEn: 'Residence permit for foreign nationals',
    institution: 'DKM',
    audiences: ['FOREIGNER'],
    requiredDocuments: [
      { sq: 'Pasaporta', en: 'Passport' },
      { sq: 'Vërtetim i strehimit', en: 'Proof of accommodation' },
      { sq: 'Sigurim shëndetësor', en: 'Health insurance' },
    ],
    deadlineDays: 30,
    registry: null,
  },
];

const byId = new Map(SERVICES.map((s) => [s.id, s]));
const institutionsById = new Map(INSTITUTIONS.map((i) => [i.id, i]));

export const serviceById = (id: string): CatalogueService | undefined => byId.get(id);
export const institutionById = (id: string): Institution | undefined => institutionsById.get(id);
export const servicesFor = (audience?: Audience | null): CatalogueService[] =>
  audience ? SERVICES.filter((s) => s.audiences.includes(audience)) : SERVICES;
