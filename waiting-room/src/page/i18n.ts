// Every visitor-facing string of the queue page, in English and Hindi. The
// Hindi table is typed against the English one, so a missing translation is a
// type error. `{name}` marks a parameter.

export type Lang = 'en' | 'hi';
export const langs: readonly Lang[] = ['en', 'hi'];

const en = {
  appName: 'Tatkal waiting room',
  otherLanguage: 'हिन्दी',
  otherLanguageHint: 'यह पेज हिन्दी में देखें',
  stateLabel: 'Sale status',
  state_scheduled: 'Not open yet',
  state_pre_queue: 'Pre-queue open',
  state_open: 'Sale open',
  state_paused: 'Paused',
  state_closed: 'Closed',
  scheduleHeading: 'Schedule',
  schedulePrequeue: 'Queue opens',
  scheduleSale: 'Sale opens',
  scheduleCloses: 'Closes',
  waitingNowOne: '1 person waiting',
  waitingNow: '{n} people waiting',
  intro:
    'Tatkal tickets open to everyone at the same moment, so instead of a race you wait here in a fair queue. You are let through to booking in the order you joined, as fast as the booking system can serve people.',
  introOnePlace:
    'One place per person: opening more tabs or refreshing does not move you forward or back.',
  introShuffle:
    'Everyone who joins before the sale opens gets a random place at {time}, drawn in a way anyone can check, so there is no advantage in arriving first.',
  joinButton: 'Join the queue',
  joining: 'Joining…',
  solvingPuzzle: 'Checking your browser. This takes a few seconds…',
  powNeedsJs:
    'To keep bots out, this room asks your browser to solve a small puzzle before you join. Please turn on JavaScript to join the queue.',
  notOpenYet: 'The queue opens at {time}. This page refreshes by itself.',
  closedNote: 'This sale has closed and takes no more visitors.',
  pausedNote:
    'Admissions are paused for now. You keep your place; the queue moves again when they resume.',
  positionLabel: 'Your position in the queue',
  aheadNone: 'You are next.',
  aheadOne: '1 person ahead of you',
  aheadMany: '{n} people ahead of you',
  estimateLabel: 'Estimated wait',
  estimateNone: 'no estimate yet',
  estimateUnderMinute: 'less than a minute',
  estimateUpToMinutes: 'up to {high} minutes',
  estimateOneMinute: 'about 1 minute',
  estimateMinutes: 'about {n} minutes',
  estimateMinutesBand: 'about {low}–{high} minutes',
  estimateOneHour: 'about 1 hour',
  estimateHours: 'about {n} hours',
  estimateHoursBand: 'about {low}–{high} hours',
  rateLabel: 'Being let in',
  rateValue: '{rate} people per second',
  rateNone: 'not measured yet',
  queueNumberLabel: 'Queue number',
  progressLabel: 'Progress to the front',
  keepOpen: 'Keep this page open. When it is your turn, you are taken to booking automatically.',
  awayNote:
    'If you leave this page for more than a minute, people behind you may go first when your turn comes; you get the next place as soon as you return.',
  noScriptRefresh: 'JavaScript is off, so this page reloads itself every few seconds.',
  returningNote:
    'Welcome back. Your turn came while you were away, so you are let in at the next admission.',
  prequeueHeading: 'You are in the pre-queue',
  prequeueNote:
    'When the sale opens at {time}, everyone in the pre-queue gets a random place in the queue. Your position appears here then.',
  prequeueCountOne: '1 person in the pre-queue',
  prequeueCount: '{n} people in the pre-queue',
  admittedHeading: 'It is your turn',
  admittedNote: 'You are being taken to booking now.',
  sessionEnds: 'Your booking session ends at {time}.',
  continueToBooking: 'Continue to booking',
  connLive: 'Live updates',
  connPolling: 'Checking for updates every few seconds',
  connHidden: 'Updates paused while this tab is hidden',
  connRetrying: 'Connection lost, retrying…',
  announcePosition: 'Your position in the queue is now {n}.',
  announceAdmitted: 'It is your turn. Taking you to booking.',
  errorHeading: 'Something went wrong',
  retryAfter: 'Please wait {n} seconds before trying again.',
  backToQueue: 'Back to the queue page',
  errorReference: 'Reference: {id}',
  networkError: 'No connection. Check your internet and try again.',
  ticketNote: 'Your place is kept in a cookie on this device.',
} as const;

export type StringKey = keyof typeof en;

const hi: Record<StringKey, string> = {
  appName: 'तत्काल प्रतीक्षा कक्ष',
  otherLanguage: 'English',
  otherLanguageHint: 'View this page in English',
  stateLabel: 'बिक्री की स्थिति',
  state_scheduled: 'अभी खुला नहीं है',
  state_pre_queue: 'प्री-कतार खुली है',
  state_open: 'बिक्री जारी है',
  state_paused: 'अस्थायी रूप से रुकी है',
  state_closed: 'बंद है',
  scheduleHeading: 'समय-सारणी',
  schedulePrequeue: 'कतार खुलने का समय',
  scheduleSale: 'बिक्री शुरू होने का समय',
  scheduleCloses: 'बंद होने का समय',
  waitingNowOne: '1 व्यक्ति प्रतीक्षा में है',
  waitingNow: '{n} लोग प्रतीक्षा में हैं',
  intro:
    'तत्काल टिकट सभी के लिए एक ही समय पर खुलते हैं, इसलिए होड़ के बजाय आप यहाँ एक निष्पक्ष कतार में प्रतीक्षा करते हैं। आप जिस क्रम में जुड़े, उसी क्रम में आपको बुकिंग पर भेजा जाता है, उतनी तेज़ी से जितनी तेज़ी से बुकिंग सिस्टम लोगों को सेवा दे सकता है।',
  introOnePlace:
    'हर व्यक्ति को एक ही स्थान मिलता है: और टैब खोलने या पेज रीफ़्रेश करने से आप न आगे बढ़ते हैं, न पीछे जाते हैं।',
  introShuffle:
    'बिक्री शुरू होने से पहले जुड़ने वाले सभी लोगों को {time} पर एक यादृच्छिक स्थान मिलता है, जिसकी जाँच कोई भी कर सकता है, इसलिए सबसे पहले आने का कोई लाभ नहीं है।',
  joinButton: 'कतार में शामिल हों',
  joining: 'शामिल किया जा रहा है…',
  solvingPuzzle: 'आपके ब्राउज़र की जाँच हो रही है। इसमें कुछ सेकंड लगते हैं…',
  powNeedsJs:
    'बॉट्स को रोकने के लिए यह कक्ष शामिल होने से पहले आपके ब्राउज़र से एक छोटी पहेली हल करवाता है। कतार में शामिल होने के लिए कृपया JavaScript चालू करें।',
  notOpenYet: 'कतार {time} पर खुलेगी। यह पेज अपने-आप रीफ़्रेश होता है।',
  closedNote: 'यह बिक्री बंद हो चुकी है और अब कोई नया व्यक्ति नहीं जुड़ सकता।',
  pausedNote: 'प्रवेश अभी रोका गया है। आपका स्थान सुरक्षित है; प्रवेश फिर शुरू होने पर कतार आगे बढ़ेगी।',
  positionLabel: 'कतार में आपकी स्थिति',
  aheadNone: 'अगली बारी आपकी है।',
  aheadOne: 'आपसे आगे 1 व्यक्ति है',
  aheadMany: 'आपसे आगे {n} लोग हैं',
  estimateLabel: 'अनुमानित प्रतीक्षा',
  estimateNone: 'अभी कोई अनुमान नहीं',
  estimateUnderMinute: 'एक मिनट से कम',
  estimateUpToMinutes: '{high} मिनट तक',
  estimateOneMinute: 'लगभग 1 मिनट',
  estimateMinutes: 'लगभग {n} मिनट',
  estimateMinutesBand: 'लगभग {low}–{high} मिनट',
  estimateOneHour: 'लगभग 1 घंटा',
  estimateHours: 'लगभग {n} घंटे',
  estimateHoursBand: 'लगभग {low}–{high} घंटे',
  rateLabel: 'प्रवेश की दर',
  rateValue: '{rate} लोग प्रति सेकंड',
  rateNone: 'अभी मापी नहीं गई',
  queueNumberLabel: 'कतार संख्या',
  progressLabel: 'आगे तक की प्रगति',
  keepOpen: 'यह पेज खुला रखें। आपकी बारी आने पर आपको अपने-आप बुकिंग पर ले जाया जाएगा।',
  awayNote:
    'अगर आप एक मिनट से ज़्यादा समय के लिए यह पेज छोड़ते हैं, तो आपकी बारी आने पर आपके पीछे वाले लोग पहले जा सकते हैं; लौटते ही आपको अगला स्थान मिल जाएगा।',
  noScriptRefresh: 'JavaScript बंद है, इसलिए यह पेज हर कुछ सेकंड में अपने-आप रीलोड होता है।',
  returningNote:
    'वापसी पर स्वागत है। आपकी अनुपस्थिति में आपकी बारी आ गई थी, इसलिए अगले प्रवेश में आपको अंदर भेजा जाएगा।',
  prequeueHeading: 'आप प्री-कतार में हैं',
  prequeueNote:
    'बिक्री {time} पर शुरू होते ही प्री-कतार के सभी लोगों को कतार में एक यादृच्छिक स्थान मिलेगा। तब आपकी स्थिति यहाँ दिखेगी।',
  prequeueCountOne: 'प्री-कतार में 1 व्यक्ति',
  prequeueCount: 'प्री-कतार में {n} लोग',
  admittedHeading: 'आपकी बारी आ गई है',
  admittedNote: 'आपको अभी बुकिंग पर ले जाया जा रहा है।',
  sessionEnds: 'आपका बुकिंग सत्र {time} पर समाप्त होगा।',
  continueToBooking: 'बुकिंग पर जाएँ',
  connLive: 'लाइव अपडेट',
  connPolling: 'हर कुछ सेकंड में अपडेट की जाँच',
  connHidden: 'टैब छिपा होने पर अपडेट रुके हैं',
  connRetrying: 'कनेक्शन टूट गया, फिर से कोशिश हो रही है…',
  announcePosition: 'अब कतार में आपकी स्थिति {n} है।',
  announceAdmitted: 'आपकी बारी आ गई है। आपको बुकिंग पर ले जाया जा रहा है।',
  errorHeading: 'कुछ गड़बड़ हो गई',
  retryAfter: 'कृपया {n} सेकंड रुककर फिर कोशिश करें।',
  backToQueue: 'कतार पेज पर वापस जाएँ',
  errorReference: 'संदर्भ: {id}',
  networkError: 'कनेक्शन नहीं है। अपना इंटरनेट जाँचें और फिर कोशिश करें।',
  ticketNote: 'आपका स्थान इस डिवाइस की एक कुकी में सुरक्षित रखा गया है।',
};

export const strings: Record<Lang, Record<StringKey, string>> = { en, hi };

/**
 * Problems the page shows, in Hindi (English pages show the problem's own
 * title and detail). Codes not listed fall back to the English text.
 */
export const hindiProblems: Record<string, { title: string; detail: string }> = {
  room_not_found: {
    title: 'ऐसा कोई कक्ष नहीं है',
    detail: 'इस पते पर कोई प्रतीक्षा कक्ष नहीं है। कृपया लिंक की जाँच करें।',
  },
  room_not_open_yet: {
    title: 'कतार अभी खुली नहीं है',
    detail: 'कतार खुलने पर ही आप इसमें शामिल हो सकते हैं।',
  },
  room_closed: {
    title: 'बिक्री बंद हो चुकी है',
    detail: 'यह कक्ष बंद हो चुका है और अब कोई नया व्यक्ति नहीं जुड़ सकता।',
  },
  room_draining: {
    title: 'कतार में अब नए लोग नहीं जुड़ सकते',
    detail: 'जो लोग पहले से प्रतीक्षा में हैं, उन्हें आगे भेजा जा रहा है; नए स्थान नहीं दिए जा रहे।',
  },
  rate_limited: {
    title: 'बहुत ज़्यादा प्रयास',
    detail: 'आपका स्थान, अगर है, तो सुरक्षित है।',
  },
  pow_required: { title: 'ब्राउज़र जाँच ज़रूरी है', detail: hi.powNeedsJs },
  pow_invalid: {
    title: 'ब्राउज़र जाँच स्वीकार नहीं हुई',
    detail: 'कृपया पेज रीलोड करके फिर कोशिश करें।',
  },
  queue_unavailable: {
    title: 'कतार अभी उपलब्ध नहीं है',
    detail: 'आपका स्थान सुरक्षित है; थोड़ी देर में फिर कोशिश करें।',
  },
  cross_site_join: {
    title: 'अनुरोध अस्वीकार किया गया',
    detail: 'कतार में शामिल होने के लिए इसी कक्ष के पेज का बटन इस्तेमाल करें।',
  },
  internal_error: {
    title: 'सर्वर में त्रुटि',
    detail: 'हम अनुरोध पूरा नहीं कर सके। कृपया फिर कोशिश करें।',
  },
};

export function isLang(value: string | undefined): value is Lang {
  return value === 'en' || value === 'hi';
}

/** The first supported language of an Accept-Language header, by quality; English by default. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { primary: tag.trim().toLowerCase().split('-')[0], quality, index };
    })
    .filter((entry) => Number.isFinite(entry.quality) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.primary).find(isLang) ?? 'en';
}

/** `?lang=` wins, then Accept-Language. */
export function chooseLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  return isLang(query) ? query : langFromAcceptLanguage(acceptLanguage);
}

export function translate(
  lang: Lang,
  key: StringKey,
  params: Record<string, string | number> = {},
): string {
  return strings[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export const locales: Record<Lang, string> = { en: 'en-IN', hi: 'hi-IN' };
