/**
 * Reference geography for time-zone evidence (intake) and for the synthetic portfolio
 * (generator): US states with their time zones, area codes and a few cities with ZIP
 * prefixes, and UK cities with postcode areas and dialling codes.
 *
 * Area codes and zones are typed by hand because libphonenumber-js carries no geocoding or
 * time-zone data; which area codes are in service is taken from its metadata instead (see
 * time-zones.ts). Split states list the area codes and ZIP prefixes that sit in another
 * zone; an area code that spans two zones lists both, and the contact policy must then
 * allow only the overlap.
 */

export const ZONE = {
  eastern: 'America/New_York',
  detroit: 'America/Detroit',
  indiana: 'America/Indiana/Indianapolis',
  central: 'America/Chicago',
  mountain: 'America/Denver',
  boise: 'America/Boise',
  arizona: 'America/Phoenix',
  pacific: 'America/Los_Angeles',
  alaska: 'America/Anchorage',
  hawaii: 'Pacific/Honolulu',
  uk: 'Europe/London',
} as const;

export interface City {
  readonly name: string;
  /** First three digits of its ZIP codes. */
  readonly zip3: string;
}

export interface UsState {
  readonly code: string;
  readonly name: string;
  /** Population in millions: the generator's weight. */
  readonly population: number;
  /** The zone of most of the state. */
  readonly zone: string;
  /** Area codes in the state (space-separated), whatever their zone. */
  readonly areaCodes: string;
  readonly cities: readonly City[];
}

const c = (spec: string): City[] =>
  spec.split(';').map((entry) => {
    const [name = '', zip3 = ''] = entry.split('=');
    return { name: name.trim(), zip3: zip3.trim() };
  });

export const US_STATES: readonly UsState[] = [
  {
    code: 'AL',
    name: 'Alabama',
    population: 5.1,
    zone: ZONE.central,
    areaCodes: '205 251 256 334 659 938',
    cities: c('Birmingham=352;Montgomery=361;Mobile=366;Huntsville=358;Tuscaloosa=354'),
  },
  {
    code: 'AK',
    name: 'Alaska',
    population: 0.73,
    zone: ZONE.alaska,
    areaCodes: '907',
    cities: c('Anchorage=995;Fairbanks=997;Juneau=998;Wasilla=996'),
  },
  {
    code: 'AZ',
    name: 'Arizona',
    population: 7.4,
    zone: ZONE.arizona,
    areaCodes: '480 520 602 623 928',
    cities: c('Phoenix=850;Tucson=857;Mesa=852;Scottsdale=852;Flagstaff=860;Yuma=853'),
  },
  {
    code: 'AR',
    name: 'Arkansas',
    population: 3.0,
    zone: ZONE.central,
    areaCodes: '327 479 501 870',
    cities: c('Little Rock=722;Fayetteville=727;Fort Smith=729;Jonesboro=724'),
  },
  {
    code: 'CA',
    name: 'California',
    population: 39.0,
    zone: ZONE.pacific,
    areaCodes:
      '209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951',
    cities: c(
      'Los Angeles=900;San Diego=921;San Jose=951;San Francisco=941;Fresno=937;Sacramento=958;Oakland=946;Long Beach=908;Bakersfield=933;Anaheim=928;Riverside=925;Santa Barbara=931;Stockton=952;Irvine=926',
    ),
  },
  {
    code: 'CO',
    name: 'Colorado',
    population: 5.8,
    zone: ZONE.mountain,
    areaCodes: '303 719 720 970 983',
    cities: c('Denver=802;Colorado Springs=809;Aurora=800;Fort Collins=805;Boulder=803;Grand Junction=815'),
  },
  {
    code: 'CT',
    name: 'Connecticut',
    population: 3.6,
    zone: ZONE.eastern,
    areaCodes: '203 475 860 959',
    cities: c('Hartford=061;New Haven=065;Stamford=069;Bridgeport=066;Waterbury=067'),
  },
  {
    code: 'DE',
    name: 'Delaware',
    population: 1.0,
    zone: ZONE.eastern,
    areaCodes: '302',
    cities: c('Wilmington=198;Dover=199;Newark=197'),
  },
  {
    code: 'DC',
    name: 'District of Columbia',
    population: 0.67,
    zone: ZONE.eastern,
    areaCodes: '202 771',
    cities: c('Washington=200'),
  },
  {
    code: 'FL',
    name: 'Florida',
    population: 22.6,
    zone: ZONE.eastern,
    areaCodes: '239 305 321 352 386 407 448 561 656 689 727 754 772 786 813 850 863 904 941 954',
    cities: c(
      'Miami=331;Orlando=328;Tampa=336;Jacksonville=322;Tallahassee=323;Pensacola=325;Panama City=324;Fort Lauderdale=333;St. Petersburg=337;Gainesville=326;Fort Myers=339',
    ),
  },
  {
    code: 'GA',
    name: 'Georgia',
    population: 11.0,
    zone: ZONE.eastern,
    areaCodes: '229 404 470 478 678 706 762 770 912 943',
    cities: c('Atlanta=303;Savannah=314;Augusta=309;Macon=312;Athens=306;Columbus=319'),
  },
  {
    code: 'HI',
    name: 'Hawaii',
    population: 1.4,
    zone: ZONE.hawaii,
    areaCodes: '808',
    cities: c('Honolulu=968;Hilo=967;Kailua=967;Kahului=967'),
  },
  {
    code: 'ID',
    name: 'Idaho',
    population: 1.9,
    zone: ZONE.boise,
    areaCodes: '208 986',
    cities: c("Boise=837;Nampa=836;Idaho Falls=834;Pocatello=832;Coeur d'Alene=838;Lewiston=835"),
  },
  {
    code: 'IL',
    name: 'Illinois',
    population: 12.5,
    zone: ZONE.central,
    areaCodes: '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872',
    cities: c('Chicago=606;Springfield=627;Peoria=616;Rockford=611;Naperville=605;Champaign=618;Joliet=604'),
  },
  {
    code: 'IN',
    name: 'Indiana',
    population: 6.8,
    zone: ZONE.indiana,
    areaCodes: '219 260 317 463 574 765 812 930',
    cities: c('Indianapolis=462;Fort Wayne=468;South Bend=466;Evansville=477;Gary=464;Bloomington=474'),
  },
  {
    code: 'IA',
    name: 'Iowa',
    population: 3.2,
    zone: ZONE.central,
    areaCodes: '319 515 563 641 712',
    cities: c('Des Moines=503;Cedar Rapids=524;Davenport=528;Sioux City=511;Iowa City=522'),
  },
  {
    code: 'KS',
    name: 'Kansas',
    population: 2.9,
    zone: ZONE.central,
    areaCodes: '316 620 785 913',
    cities: c('Wichita=672;Topeka=666;Overland Park=662;Kansas City=661;Dodge City=678;Lawrence=660'),
  },
  {
    code: 'KY',
    name: 'Kentucky',
    population: 4.5,
    zone: ZONE.eastern,
    areaCodes: '270 364 502 606 859',
    cities: c('Louisville=402;Lexington=405;Bowling Green=421;Paducah=420;Owensboro=423;Frankfort=406'),
  },
  {
    code: 'LA',
    name: 'Louisiana',
    population: 4.6,
    zone: ZONE.central,
    areaCodes: '225 318 337 504 985',
    cities: c('New Orleans=701;Baton Rouge=708;Shreveport=711;Lafayette=705;Lake Charles=706'),
  },
  {
    code: 'ME',
    name: 'Maine',
    population: 1.4,
    zone: ZONE.eastern,
    areaCodes: '207',
    cities: c('Portland=041;Bangor=044;Augusta=043;Lewiston=042'),
  },
  {
    code: 'MD',
    name: 'Maryland',
    population: 6.2,
    zone: ZONE.eastern,
    areaCodes: '240 301 410 443 667',
    cities: c('Baltimore=212;Annapolis=214;Frederick=217;Rockville=208;Silver Spring=209'),
  },
  {
    code: 'MA',
    name: 'Massachusetts',
    population: 7.0,
    zone: ZONE.eastern,
    areaCodes: '339 351 413 508 617 774 781 857 978',
    cities: c('Boston=021;Worcester=016;Springfield=011;Cambridge=021;Lowell=018;New Bedford=027'),
  },
  {
    code: 'MI',
    name: 'Michigan',
    population: 10.0,
    zone: ZONE.detroit,
    areaCodes: '231 248 269 313 517 586 616 734 810 906 947 989',
    cities: c('Detroit=482;Grand Rapids=495;Lansing=489;Ann Arbor=481;Flint=485;Marquette=498'),
  },
  {
    code: 'MN',
    name: 'Minnesota',
    population: 5.7,
    zone: ZONE.central,
    areaCodes: '218 320 507 612 651 763 952',
    cities: c('Minneapolis=554;Saint Paul=551;Rochester=559;Duluth=558;Bloomington=554'),
  },
  {
    code: 'MS',
    name: 'Mississippi',
    population: 2.9,
    zone: ZONE.central,
    areaCodes: '228 601 662 769',
    cities: c('Jackson=392;Gulfport=395;Hattiesburg=394;Tupelo=388;Biloxi=395'),
  },
  {
    code: 'MO',
    name: 'Missouri',
    population: 6.2,
    zone: ZONE.central,
    areaCodes: '314 417 557 573 636 660 816',
    cities: c('Kansas City=641;St. Louis=631;Springfield=658;Columbia=652;Independence=640'),
  },
  {
    code: 'MT',
    name: 'Montana',
    population: 1.1,
    zone: ZONE.mountain,
    areaCodes: '406',
    cities: c('Billings=591;Missoula=598;Great Falls=594;Bozeman=597;Helena=596'),
  },
  {
    code: 'NE',
    name: 'Nebraska',
    population: 2.0,
    zone: ZONE.central,
    areaCodes: '308 402 531',
    cities: c('Omaha=681;Lincoln=685;Grand Island=688;Kearney=688;Scottsbluff=693'),
  },
  {
    code: 'NV',
    name: 'Nevada',
    population: 3.2,
    zone: ZONE.pacific,
    areaCodes: '702 725 775',
    cities: c('Las Vegas=891;Henderson=890;Reno=895;Carson City=897'),
  },
  {
    code: 'NH',
    name: 'New Hampshire',
    population: 1.4,
    zone: ZONE.eastern,
    areaCodes: '603',
    cities: c('Manchester=031;Nashua=030;Concord=033;Portsmouth=038'),
  },
  {
    code: 'NJ',
    name: 'New Jersey',
    population: 9.3,
    zone: ZONE.eastern,
    areaCodes: '201 551 609 640 732 848 856 862 908 973',
    cities: c('Newark=071;Jersey City=073;Paterson=075;Trenton=086;Camden=081;Princeton=085'),
  },
  {
    code: 'NM',
    name: 'New Mexico',
    population: 2.1,
    zone: ZONE.mountain,
    areaCodes: '505 575',
    cities: c('Albuquerque=871;Santa Fe=875;Las Cruces=880;Roswell=882'),
  },
  {
    code: 'NY',
    name: 'New York',
    population: 19.6,
    zone: ZONE.eastern,
    areaCodes: '212 315 332 347 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934',
    cities: c(
      'New York=100;Brooklyn=112;Bronx=104;Flushing=113;Staten Island=103;Buffalo=142;Rochester=146;Syracuse=132;Albany=122;Yonkers=107',
    ),
  },
  {
    code: 'NC',
    name: 'North Carolina',
    population: 10.8,
    zone: ZONE.eastern,
    areaCodes: '252 336 704 743 828 910 919 980 984',
    cities: c('Charlotte=282;Raleigh=276;Greensboro=274;Durham=277;Asheville=288;Wilmington=284'),
  },
  {
    code: 'ND',
    name: 'North Dakota',
    population: 0.78,
    zone: ZONE.central,
    areaCodes: '701',
    cities: c('Fargo=581;Bismarck=585;Grand Forks=582;Minot=587;Dickinson=586'),
  },
  {
    code: 'OH',
    name: 'Ohio',
    population: 11.8,
    zone: ZONE.eastern,
    areaCodes: '216 220 234 326 330 380 419 440 513 567 614 740 937',
    cities: c('Columbus=432;Cleveland=441;Cincinnati=452;Toledo=436;Akron=443;Dayton=454'),
  },
  {
    code: 'OK',
    name: 'Oklahoma',
    population: 4.0,
    zone: ZONE.central,
    areaCodes: '405 539 572 580 918',
    cities: c('Oklahoma City=731;Tulsa=741;Norman=730;Lawton=735'),
  },
  {
    code: 'OR',
    name: 'Oregon',
    population: 4.2,
    zone: ZONE.pacific,
    areaCodes: '458 503 541 971',
    cities: c('Portland=972;Salem=973;Eugene=974;Bend=977;Medford=975;Ontario=979'),
  },
  {
    code: 'PA',
    name: 'Pennsylvania',
    population: 13.0,
    zone: ZONE.eastern,
    areaCodes: '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878',
    cities: c('Philadelphia=191;Pittsburgh=152;Allentown=181;Erie=165;Harrisburg=171;Scranton=185'),
  },
  {
    code: 'RI',
    name: 'Rhode Island',
    population: 1.1,
    zone: ZONE.eastern,
    areaCodes: '401',
    cities: c('Providence=029;Warwick=028;Cranston=029;Newport=028'),
  },
  {
    code: 'SC',
    name: 'South Carolina',
    population: 5.3,
    zone: ZONE.eastern,
    areaCodes: '803 839 843 854 864',
    cities: c('Columbia=292;Charleston=294;Greenville=296;Myrtle Beach=295'),
  },
  {
    code: 'SD',
    name: 'South Dakota',
    population: 0.9,
    zone: ZONE.central,
    areaCodes: '605',
    cities: c('Sioux Falls=571;Rapid City=577;Aberdeen=574;Pierre=575'),
  },
  {
    code: 'TN',
    name: 'Tennessee',
    population: 7.1,
    zone: ZONE.central,
    areaCodes: '423 615 629 731 865 901 931',
    cities: c('Nashville=372;Memphis=381;Knoxville=379;Chattanooga=374;Johnson City=376;Clarksville=370'),
  },
  {
    code: 'TX',
    name: 'Texas',
    population: 30.0,
    zone: ZONE.central,
    areaCodes:
      '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979',
    cities: c(
      'Houston=770;Dallas=752;San Antonio=782;Austin=787;Fort Worth=761;El Paso=799;Lubbock=794;Corpus Christi=784;Laredo=780;Amarillo=791;Plano=750;Midland=797',
    ),
  },
  {
    code: 'UT',
    name: 'Utah',
    population: 3.4,
    zone: ZONE.mountain,
    areaCodes: '385 435 801',
    cities: c('Salt Lake City=841;Provo=846;Ogden=844;St. George=847'),
  },
  {
    code: 'VT',
    name: 'Vermont',
    population: 0.65,
    zone: ZONE.eastern,
    areaCodes: '802',
    cities: c('Burlington=054;Montpelier=056;Rutland=057'),
  },
  {
    code: 'VA',
    name: 'Virginia',
    population: 8.7,
    zone: ZONE.eastern,
    areaCodes: '276 434 540 571 703 757 804 826 948',
    cities: c('Virginia Beach=234;Richmond=232;Norfolk=235;Arlington=222;Roanoke=240;Alexandria=223'),
  },
  {
    code: 'WA',
    name: 'Washington',
    population: 7.8,
    zone: ZONE.pacific,
    areaCodes: '206 253 360 425 509 564',
    cities: c('Seattle=981;Spokane=992;Tacoma=984;Vancouver=986;Bellevue=980;Olympia=985'),
  },
  {
    code: 'WV',
    name: 'West Virginia',
    population: 1.8,
    zone: ZONE.eastern,
    areaCodes: '304 681',
    cities: c('Charleston=253;Huntington=257;Morgantown=265;Wheeling=260'),
  },
  {
    code: 'WI',
    name: 'Wisconsin',
    population: 5.9,
    zone: ZONE.central,
    areaCodes: '262 274 414 534 608 715 920',
    cities: c('Milwaukee=532;Madison=537;Green Bay=543;Kenosha=531;Eau Claire=547'),
  },
  {
    code: 'WY',
    name: 'Wyoming',
    population: 0.58,
    zone: ZONE.mountain,
    areaCodes: '307',
    cities: c('Cheyenne=820;Casper=826;Laramie=820;Gillette=827'),
  },
];

/** Area codes whose zones differ from their state's (several zones: the code spans them). */
export const AREA_CODE_ZONES: Readonly<Record<string, readonly string[]>> = {
  '850': [ZONE.central, ZONE.eastern],
  '448': [ZONE.central, ZONE.eastern],
  '915': [ZONE.mountain],
  '219': [ZONE.central],
  '812': [ZONE.indiana, ZONE.central],
  '930': [ZONE.indiana, ZONE.central],
  '270': [ZONE.central, ZONE.eastern],
  '364': [ZONE.central, ZONE.eastern],
  '423': [ZONE.eastern],
  '865': [ZONE.eastern],
  '906': [ZONE.detroit, ZONE.central],
  '701': [ZONE.central, ZONE.mountain],
  '605': [ZONE.central, ZONE.mountain],
  '308': [ZONE.central, ZONE.mountain],
  '620': [ZONE.central, ZONE.mountain],
  '785': [ZONE.central, ZONE.mountain],
  '541': [ZONE.pacific, ZONE.boise],
  '458': [ZONE.pacific, ZONE.boise],
  '208': [ZONE.boise, ZONE.pacific],
  '986': [ZONE.boise, ZONE.pacific],
};

/** ZIP prefixes in a different zone from the rest of their state. */
export const ZIP3_ZONES: Readonly<Record<string, string>> = {
  // Florida panhandle west of the Apalachicola
  '324': ZONE.central,
  '325': ZONE.central,
  // El Paso
  '798': ZONE.mountain,
  '799': ZONE.mountain,
  '885': ZONE.mountain,
  // Indiana: Gary and Evansville areas
  '463': ZONE.central,
  '464': ZONE.central,
  '476': ZONE.central,
  '477': ZONE.central,
  // Western Kentucky
  '420': ZONE.central,
  '421': ZONE.central,
  '422': ZONE.central,
  '423': ZONE.central,
  '424': ZONE.central,
  // East Tennessee
  '373': ZONE.eastern,
  '374': ZONE.eastern,
  '376': ZONE.eastern,
  '377': ZONE.eastern,
  '378': ZONE.eastern,
  '379': ZONE.eastern,
  // South-west North Dakota, western South Dakota, the Nebraska panhandle
  '586': ZONE.mountain,
  '577': ZONE.mountain,
  '693': ZONE.mountain,
  // Malheur County, Oregon
  '979': ZONE.boise,
  // North Idaho
  '835': ZONE.pacific,
  '838': ZONE.pacific,
};

export interface UkCity {
  readonly name: string;
  /** UK nation: ENG, SCT, WLS, NIR. */
  readonly nation: string;
  readonly population: number;
  /** Postcode areas (outward code letters). */
  readonly postcodeAreas: readonly string[];
  /** Geographic dialling code without the trunk 0, and the subscriber number length. */
  readonly dialCode: string;
  readonly subscriberDigits: number;
  /** First digits a subscriber number may start with. */
  readonly subscriberStarts: string;
}

export const UK_CITIES: readonly UkCity[] = [
  {
    name: 'London',
    nation: 'ENG',
    population: 9.0,
    postcodeAreas: ['E', 'N', 'NW', 'SE', 'SW', 'W'],
    dialCode: '20',
    subscriberDigits: 8,
    subscriberStarts: '378',
  },
  {
    name: 'Birmingham',
    nation: 'ENG',
    population: 1.1,
    postcodeAreas: ['B'],
    dialCode: '121',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Manchester',
    nation: 'ENG',
    population: 0.55,
    postcodeAreas: ['M'],
    dialCode: '161',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Leeds',
    nation: 'ENG',
    population: 0.8,
    postcodeAreas: ['LS'],
    dialCode: '113',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Liverpool',
    nation: 'ENG',
    population: 0.5,
    postcodeAreas: ['L'],
    dialCode: '151',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Bristol',
    nation: 'ENG',
    population: 0.47,
    postcodeAreas: ['BS'],
    dialCode: '117',
    subscriberDigits: 7,
    subscriberStarts: '2349',
  },
  {
    name: 'Sheffield',
    nation: 'ENG',
    population: 0.56,
    postcodeAreas: ['S'],
    dialCode: '114',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Newcastle upon Tyne',
    nation: 'ENG',
    population: 0.3,
    postcodeAreas: ['NE'],
    dialCode: '191',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Nottingham',
    nation: 'ENG',
    population: 0.32,
    postcodeAreas: ['NG'],
    dialCode: '115',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Leicester',
    nation: 'ENG',
    population: 0.37,
    postcodeAreas: ['LE'],
    dialCode: '116',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Brighton',
    nation: 'ENG',
    population: 0.29,
    postcodeAreas: ['BN'],
    dialCode: '1273',
    subscriberDigits: 6,
    subscriberStarts: '2345678',
  },
  {
    name: 'Glasgow',
    nation: 'SCT',
    population: 0.63,
    postcodeAreas: ['G'],
    dialCode: '141',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Edinburgh',
    nation: 'SCT',
    population: 0.52,
    postcodeAreas: ['EH'],
    dialCode: '131',
    subscriberDigits: 7,
    subscriberStarts: '2345',
  },
  {
    name: 'Aberdeen',
    nation: 'SCT',
    population: 0.2,
    postcodeAreas: ['AB'],
    dialCode: '1224',
    subscriberDigits: 6,
    subscriberStarts: '2345678',
  },
  {
    name: 'Cardiff',
    nation: 'WLS',
    population: 0.36,
    postcodeAreas: ['CF'],
    dialCode: '29',
    subscriberDigits: 8,
    subscriberStarts: '2',
  },
  {
    name: 'Swansea',
    nation: 'WLS',
    population: 0.25,
    postcodeAreas: ['SA'],
    dialCode: '1792',
    subscriberDigits: 6,
    subscriberStarts: '2345678',
  },
  {
    name: 'Belfast',
    nation: 'NIR',
    population: 0.35,
    postcodeAreas: ['BT'],
    dialCode: '28',
    subscriberDigits: 8,
    subscriberStarts: '9',
  },
];

/** UK mobile prefixes (after +44), all in service per libphonenumber's metadata (checked in tests). */
export const UK_MOBILE_PREFIXES = ['74', '75', '77', '78', '79'] as const;
