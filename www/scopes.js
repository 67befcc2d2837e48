/**
 * TikTok permission scopes by name, and what OWOX Data Marts' TikTok Ads source needs of them.
 * DOM-free and dependency-free; the result view loads it (with exports.js) only when it shows a grant.
 *
 *   permissionNames(scopeIds: Array<string | number>): Array<{ id: string, name: string | null,
 *       parent: string | null, parentName: string | null }>
 *     One entry per distinct id, in the order given. Unknown ids keep their text and get
 *     `name: null`. Ids stay exact decimal strings (19 digits and more): never turned into Numbers.
 *   scopePath(id: string): string[]   names from the top-level group down to the id ([] if unknown)
 *   owoxCheck(scopeIds: Array<string | number>): { ok: boolean, missing: Array<{ id: string,
 *       name: string, parentName: string | null, path: string[] }>, advice: string }
 *     `advice` is '' when ok, else what to change in the developer portal and that the advertiser
 *     must authorize again.
 *   OWOX_NEEDS: ReadonlyArray<string>   the scope ids checked, in display order
 */

// TikTok's "Permission scope" documentation (doc id 1753986142651394) as compiled in the public
// repository api-evangelist/tiktok-ads, scopes/tiktok-ads-scopes.yml (2026-08); the project's copy
// is tests/page/tiktok-scopes.json, which a test compares with this table entry by entry.
// id: [name, parent id]. A module, not a .json fetch: the page's CSP limits connect-src to TikTok's
// hosts, and a module is what `import()` loads lazily. Minified, this table is 2.0 KB gzip against
// 2.4 KB for the JSON file; a tab-separated string saved 40 bytes, less than the code to split it.
// Kept as compiled, oddities included (701 "Create and Update Apps" sits under 80, Pixel Management).
const SCOPES = {
  '1': ['Ad Account Management'],
  '2': ['Ads Management'],
  '3': ['Audience Management'],
  '4': ['Reporting'],
  '5': ['Measurement'],
  '6': ['Creative Management'],
  '7': ['App Management'],
  '8': ['Pixel Management'],
  '9': ['DPA Catalog Management'],
  '10': ['Ad Account Information', '1'],
  '12': ['Terms and Agreements', '1'],
  '13': ['Pangle Block List Management', '1'],
  '14': ['Pangle Audience Packages', '1'],
  '15': ['Business Center', '1'],
  '20': ['Campaign', '2'],
  '21': ['Ad Group', '2'],
  '22': ['Ad', '2'],
  '23': ['Change Log', '2'],
  '24': ['Split Test', '2'],
  '30': ['Read Custom Audiences', '3'],
  '31': ['Create and Update Custom Audiences', '3'],
  '32': ['Share Custom Audiences', '3'],
  '40': ['Ad Account Level', '4'],
  '41': ['Campaign Level', '4'],
  '42': ['Ad Group Level', '4'],
  '43': ['Ad Level', '4'],
  '44': ['Consolidated Report', '4'],
  '50': ['Report App Event', '5'],
  '51': ['Report Pixel Event', '5'],
  '60': ['Image Management', '6'],
  '61': ['Video Management', '6'],
  '62': ['Video Template', '6'],
  '63': ['Music management', '6'],
  '64': ['Creative tool', '6'],
  '65': ['Get Creative Report', '6'],
  '66': ['Playable Ads', '6'],
  '67': ['Creative Material Verification', '6'],
  '68': ['Instant Page Management', '6'],
  '69': ['TikTok Posts Management', '6'],
  '70': ['App Management', '7'],
  '80': ['Pixel Management', '8'],
  '90': ['Catalog Management', '9'],
  '91': ['Product Management', '9'],
  '92': ['DPA Set Management', '9'],
  '94': ['Catalog Video Management', '9'],
  '95': ['Template', '9'],
  '96': ['Event Source Bind', '9'],
  '97': ['Feed', '9'],
  '100': ['Read Ad Account Information', '10'],
  '120': ['Terms and Agreements', '12'],
  '130': ['Pangle Block List Management', '13'],
  '140': ['Pangle Audience Packages', '14'],
  '150': ['Read Business Center', '15'],
  '151': ['Create Ad Account', '15'],
  '152': ['Ad Account Balance and Transaction', '15'],
  '153': ['Business Center Asset', '15'],
  '155': ['Business Center Partner Management', '15'],
  '156': ['Business Center Member Management', '15'],
  '157': ['Business Center Billing Group Management', '15'],
  '200': ['Read Campaigns', '20'],
  '201': ['Create and Update Campaigns', '20'],
  '210': ['Read Ad Groups', '21'],
  '211': ['Create and Update Ad Groups', '21'],
  '220': ['Read Ads', '22'],
  '221': ['Create and Update Ads', '22'],
  '230': ['Change Log', '23'],
  '240': ['Split Test', '24'],
  '600': ['Read Image Library', '60'],
  '601': ['Create and Update Images', '60'],
  '610': ['Read Video Library', '61'],
  '611': ['Create and Update Videos', '61'],
  '612': ['Generate Thumbnails for Videos', '61'],
  '630': ['Read music library', '63'],
  '631': ['Upload music file', '63'],
  '660': ['Read Playable Ads', '66'],
  '661': ['Create/Manage Playable Ads', '66'],
  '680': ['Instant Page Management', '68'],
  '690': ['Query TikTok Posts', '69'],
  '691': ['Authorize TikTok Posts', '69'],
  '692': ['Create Identity', '69'],
  '693': ['Query Identity', '69'],
  '700': ['Read Apps', '70'],
  '701': ['Create and Update Apps', '80'],
  '800': ['Read Pixels', '80'],
  '801': ['Create and Update Pixels', '80'],
  '802': ['Pixel Level Reporting', '80'],
  '900': ['Read Catalogs', '90'],
  '901': ['Create and Update Catalog', '90'],
  '910': ['Read Products', '91'],
  '911': ['Create and Update Product', '91'],
  '920': ['Get Catalog Set', '92'],
  '921': ['Post Catalog Set', '92'],
  '940': ['Get Catalog Video', '94'],
  '941': ['Post Catalog Video', '94'],
  '950': ['Template', '95'],
  '960': ['Read Event Source Bind', '96'],
  '961': ['Create and Delete Event Source Bind', '96'],
  '970': ['Get Feed', '97'],
  '971': ['Post Feed', '97'],
  '10000': ['Reach & Frequency'],
  '100000': ['Create and Update Ad Groups', '10000'],
  '100001': ['Inventory and Orders', '10000'],
  '100002': ['Tools', '10000'],
  '6110000': ['Creative Recommendation', '6'],
  '6110100': ['CTA Recommendation', '6110000'],
  '6110200': ['Smart Text', '6110000'],
  '12000000': ['Lead Management'],
  '12010000': ['Leads Retrieval', '12000000'],
  '12010100': ['Leads Retrieval', '12010000'],
  '12020000': ['Test Leads', '12000000'],
  '12020100': ['Test Leads', '12020000'],
  '13000000': ['TikTok Creator Marketplace (TCM)'],
  '13010000': ['Create and Update TCM Account', '13000000'],
  '13020000': ['Read TCM Account', '13000000'],
  '13030000': ['Get Creators Onboarding Status and Invite Creators to TCM', '13000000'],
  '13040000': ['Send Spark Ads Invitation to Creators and Get the Status', '13000000'],
  '14000000': ['TikTok Creator'],
  '14010000': ['Creator User', '14000000'],
  '14010100': ['Get Creator Basic Info', '14010000'],
  '14010200': ['Get Creator Insights', '14010000'],
  '14020000': ['Creator Media', '14000000'],
  '14020100': ['Get Creator Media', '14020000'],
  '14030000': ['Creator Order', '14000000'],
  '15000000': ['Ad Comments'],
  '15010000': ['Ad Comment Management', '15000000'],
  '15010100': ['Read Comments', '15010000'],
  '15010200': ['Write Comments', '15010000'],
  '15020000': ['Blocked Word Management', '15000000'],
  '15020100': ['Read Blocked Words', '15020000'],
  '15020200': ['Write Blocked Words', '15020000'],
  '16000000': ['TikTok business plugin'],
  '17000000': ['Automated Rules'],
  '17010000': ['Create and Update Automated Rules', '17000000'],
  '17020000': ['Read Automated Rules and their Execution Results', '17000000'],
  '18000000': ['TikTok Accounts'],
  '18010000': ['Business User', '18000000'],
  '18010100': ['Get Business User Basic Info', '18010000'],
  '18020000': ['Business Media', '18000000'],
  '18030000': ['Business Comment', '18000000'],
  '18030100': ['Get Business Comment', '18030000'],
  '18030200': ['Manage Business Comment', '18030000'],
  '19000000': ['Onsite Commerce Store'],
  '7043626160646815746': ['Ad Insight Report', '4'],
  '7043626160646864898': ['Core Functions', '7050363942434078721'],
  '7043626160646946818': ['Offline Events Management'],
  '7044139020472942593': ['Business Content', '18000000'],
  '7050363942433996801': ['Video Publish', '7044139020472942593'],
  '7050363942434013185': ['Ad Diagnosis'],
  '7050363942434029569': ['Get and Adopt Diagnosis Suggestion', '7050363942434013185'],
  '7050363942434078721': ['Dynamic Scene', '6'],
  '7050363942434095105': ['Create/Manage Offline Events', '7043626160646946818'],
  '7050363942434127873': ['Report Offline Events One by One', '7043626160646946818'],
  '7068127621543919617': ['Report Offline Events in Bulk', '7043626160646946818'],
  '7078191955347259394': ['Invoice Management', '15'],
  '7130572512626360322': ['Smart Fix', '6'],
  '7132385893100437506': ['Fix Task management', '7130572512626360322'],
  '7133464587805982722': ['Search Ads', '2'],
  '7133464587805999106': ['Negative Keywords', '7133464587805982722'],
  '7153155400966176769': ['Asset Group', '15'],
  '7176833266039685122': ['File Name Check', '6'],
  '7176842096345694209': ['Delete Identity', '69'],
  '7224195155857833986': ['Read Offline Events', '7043626160646946818'],
  '7224195155857866754': ['Report Conversion Event', '5'],
  '7224195155857915906': ['Diagnostic', '9'],
  '7231011733974859777': ['Creative Fatigue Insight', '4'],
  '7294180478502830081': ['CRM Event Management'],
  '7294180478502846465': ['Read CRM Event Sets', '7294180478502830081'],
};

const has = (id) => Object.prototype.hasOwnProperty.call(SCOPES, id);
const nameOf = (id) => (has(id) ? SCOPES[id][0] : null);
const parentOf = (id) => (has(id) && SCOPES[id][1]) || null;

/** The id as TikTok's exact decimal text; null for what cannot be an id. */
function idText(id) {
  if (typeof id === 'string') return id;
  // A number has already lost any digits beyond 2^53; its text is the best that is left.
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return null;
}

/** The id itself and every group above it (bounded: the table has no cycles, but stay safe). */
function lineage(id) {
  const ids = [];
  for (let at = id; at !== null && ids.length < 16; at = parentOf(at)) ids.push(at);
  return ids;
}

function distinctIds(scopeIds) {
  return [...new Set((Array.isArray(scopeIds) ? scopeIds : []).map(idText))].filter((id) => id !== null);
}

export function permissionNames(scopeIds) {
  return distinctIds(scopeIds).map((id) => {
    const parent = parentOf(id);
    return { id, name: nameOf(id), parent, parentName: parent && nameOf(parent) };
  });
}

export function scopePath(id) {
  return has(id) ? lineage(id).reverse().map(nameOf) : [];
}

// What the OWOX Data Marts TikTok Ads source reads (OWOX/owox-data-marts,
// packages/connectors/src/Sources/TikTokAds/Source.js `fetchData` and TiktokMarketingApiProvider.js),
// and the permission each needs, as OWOX's setup guide (same folder, CREDENTIALS.md) lists them:
//   advertiser  oauth2/advertiser/get/        100 Read Ad Account Information
//   campaigns   campaign/get/                 200 Read Campaigns
//   ad_groups   adgroup/get/                  210 Read Ad Groups (assumed: the guide omits it, the source reads it)
//   ads         ad/get/                       220 Read Ads
//   audiences   dmp/custom_audience/list/     30  Read Custom Audiences
//   ad_insights report/integrated/get/ BASIC  4   Reporting ("Reporting (all levels)" in the guide)
// A granted group covers everything under it (docs/tiktok.md, "Scopes"; TikTok's real answer
// [210,200,10,220,30] grants group 10 for 100). Reporting is also covered by its four level
// permissions together, one per data_level the source queries (AUCTION_ADVERTISER/CAMPAIGN/ADGROUP/AD
// → 40/41/42/43): assumed from the names, TikTok does not document which level needs which id.
export const OWOX_NEEDS = ['100', '200', '210', '220', '30', '4'];
const ALSO_COVERED_BY = { 4: ['40', '41', '42', '43'] };

export function owoxCheck(scopeIds) {
  const granted = new Set(distinctIds(scopeIds));
  const covered = (id) => lineage(id).some((at) => granted.has(at));
  const coveredByParts = (id) => ALSO_COVERED_BY[id] !== undefined && ALSO_COVERED_BY[id].every(covered);
  const missing = OWOX_NEEDS
    .filter((id) => !covered(id) && !coveredByParts(id))
    .map((id) => ({ id, name: nameOf(id), parentName: nameOf(parentOf(id)), path: scopePath(id) }));
  return { ok: missing.length === 0, missing, advice: missing.length ? owoxAdvice(missing) : '' };
}

// "Authorize again": a token carries the permissions the app had when the advertiser authorized it,
// and TikTok has no way to widen an existing token (no refresh for Marketing API tokens, docs/tiktok.md, "Token lifetime").
function owoxAdvice(missing) {
  const list = missing.map((m) => '“' + m.path.join(' › ') + '”').join(', ');
  return 'OWOX Data Marts cannot import everything with this token. In the TikTok developer portal ' +
    '(My Apps → your app), add ' + list + ' to the app’s permission scopes. Then the advertiser must ' +
    'authorize the app again (start over on this page): a token keeps the permissions it was ' +
    'granted with, so this one will not gain them.';
}
