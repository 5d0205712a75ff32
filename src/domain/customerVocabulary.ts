// Customer-service vocabulary shared by every tenant: how customers in Kenya ask about hours, prices, delivery,
// payment and the like, in English, Swahili and Sheng. Deliberately generic: nothing here names a product.
// Single Swahili words and verb forms are read as English by swahiliWords.ts before any of this applies.

export const customerVocabulary = {
  /**
   * Multi-word phrases rewritten before tokenising, matched on word stems ("public holidays" too). They cover
   * idioms whose words mean little alone ("how much", "bit by bit") and keep "email address" off "address".
   */
  phrases: [
    ['how much', 'cost'],
    ['pesa ngapi', 'cost'],
    ['how long', 'long'],
    ['how soon', 'long'],
    ['how many days', 'long'],
    ['how many hours', 'long'],
    ['how many weeks', 'long'],
    ['when will', 'long'],
    ['siku ngapi', 'long'],
    ['muda gani', 'long'],
    ['saa ngapi', 'hours'],
    ['opening times', 'hours'],
    ['working hours', 'hours'],
    ['business hours', 'hours'],
    ['public holiday', 'holiday'],
    ['new year', 'holiday'],
    ['good friday', 'holiday'],
    ['boxing day', 'holiday'],
    ['labour day', 'holiday'],
    ['madaraka day', 'holiday'],
    ['mashujaa day', 'holiday'],
    ['jamhuri day', 'holiday'],
    ['find you', 'where'],
    ['find your shop', 'where'],
    ['mko wapi', 'where'],
    ['email address', 'email'],
    ['phone number', 'contact'],
    ['pay bill', 'paybill'],
    ['credit card', 'card'],
    ['debit card', 'card'],
    ['bank transfer', 'transfer'],
    ['buy goods', 'till'],
    ['second hand', 'secondhand'],
    ['ex uk', 'secondhand'],
    ['pre owned', 'secondhand'],
    ['lipa pole pole', 'instalments'],
    ['pole pole', 'instalments'],
    ['polepole', 'instalments'],
    ['kidogo kidogo', 'instalments'],
    ['bit by bit', 'instalments'],
    ['payment plan', 'instalments'],
    ['lay by', 'instalments'],
    ['gift card', 'gift voucher'],
    ['money back', 'refund'],
    ['bring back', 'return'],
    ['send back', 'return'],
    ['in stock', 'stock'],
    ['outside nairobi', 'upcountry'],
    ['outside of nairobi', 'upcountry'],
  ] as ReadonlyArray<readonly [string, string]>,

  /**
   * What a question asks about its topic: the price, how long it takes, where it is. A message and an FAQ that
   * ask different ones are different questions, however many other words they share.
   */
  asking: ['cost', 'long', 'where'] as readonly string[],

  /** Words that qualify a topic without naming it ("payment methods", "return policy"); they weigh little. */
  light: [
    'policy', 'method', 'option', 'mode', 'way', 'accept',
    // Who it is for and what it is, in general terms: "for my son", "an item".
    'child', 'kid', 'son', 'daughter', 'friend', 'wife', 'husband', 'family', 'someone', 'item', 'product', 'thing',
  ] as readonly string[],

  /**
   * Words customers use interchangeably for one topic. The matcher counts a word from the same group as a
   * near-match, a little below the FAQ's own word, so "close" finds "opening hours" but "refund" still prefers
   * the refund FAQ to the returns one. A word may sit in several groups.
   */
  concepts: [
    ['hours', 'open', 'close'],
    // Days: "open on Saturday?" asks about opening hours.
    [
      'hours', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'weekend', 'weekday',
      'today', 'tomorrow', 'tonight',
    ],
    ['holiday', 'christmas', 'xmas', 'easter', 'mashujaa', 'jamhuri', 'eid', 'idd', 'sikukuu'],
    ['long', 'turnaround', 'duration'],
    ['cost', 'price', 'fee', 'charge', 'rate', 'expensive', 'cheap'],
    ['where', 'location', 'located', 'address', 'directions', 'situated', 'pin'],
    ['deliver', 'delivery', 'ship', 'shipping', 'courier', 'send', 'bring', 'dispatch', 'rider'],
    ['pay', 'payment', 'mpesa', 'card', 'cash', 'visa', 'mastercard', 'transfer'],
    ['till', 'paybill'],
    ['method', 'option', 'mode', 'way', 'means'],
    ['instalments', 'installment', 'layby'],
    ['return', 'exchange', 'refund', 'swap', 'replace'],
    ['book', 'reserve', 'reservation', 'appointment', 'slot'],
    ['stock', 'carry'],
    ['brand', 'model', 'manufacturer'],
    ['discount', 'promo', 'promotion', 'deal'],
    ['warranty', 'guarantee'],
    ['repair', 'fix', 'mend', 'broken', 'faulty', 'spoilt'],
    ['lesson', 'class', 'tuition', 'teach', 'learn', 'course', 'training'],
    ['rent', 'rental', 'hire', 'lease'],
    ['order', 'buy', 'bought', 'purchase'],
    ['sell', 'sale'],
    ['secondhand', 'used', 'refurbished'],
    ['voucher', 'coupon'],
    ['contact', 'call', 'email', 'phone'],
    ['parking', 'park'],
    // Places within Nairobi, then towns "upcountry": delivery questions usually name a place, not a region.
    [
      'nairobi', 'cbd', 'westlands', 'kilimani', 'kileleshwa', 'lavington', 'karen', 'langata', 'parklands',
      'eastleigh', 'embakasi', 'kasarani', 'roysambu', 'ruaka', 'rongai', 'syokimau', 'kitengela', 'gigiri',
      'runda', 'muthaiga', 'upperhill', 'hurlingham', 'buruburu', 'donholm', 'umoja', 'kayole', 'githurai',
      'kangemi', 'kawangware', 'madaraka', 'ngong', 'ruiru', 'juja', 'kikuyu', 'athi',
    ],
    [
      'upcountry', 'countrywide', 'mombasa', 'kisumu', 'nakuru', 'eldoret', 'thika', 'nyeri', 'machakos', 'meru',
      'kakamega', 'kisii', 'naivasha', 'nanyuki', 'malindi', 'kitale', 'garissa', 'embu', 'kericho', 'bungoma',
      'narok', 'lamu', 'diani', 'voi', 'kitui', 'busia', 'nyahururu', 'kilifi', 'isiolo', 'lodwar',
    ],
  ] as ReadonlyArray<readonly string[]>,
};
