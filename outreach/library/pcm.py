"""Nigerian Pidgin default library. Written to be read aloud easily; same meaning as the English."""

SIGN_OFF = "Thank you,\n{{ creditor_name }}"

LIBRARY = {
    "friendly_reminder": {
        "sms": "Hello {{ first_name }}, na {{ creditor_name }} dey greet you. Small reminder: {{ amount_due }} don due since {{ due_date }}. You fit pay here: {{ pay_link }} If money tight now, reply PLAN make we help you arrange am.",
        "subject": "Small reminder from {{ creditor_name }}",
        "email": "Hello {{ first_name }},\n\nWe dey remind you say {{ amount_due }} don due since {{ due_date }}.\n\nYou fit pay easy for here: {{ pay_link }}\n\nIf money tight for you now, no worry, e no be only you. We fit arrange plan wey go fit your pocket. Just reply dis email or call us for {{ support_phone }}.",
    },
    "pre_due_nudge": {
        "sms": "Hello {{ first_name }}, na {{ creditor_name }}. Just to let you know: {{ amount_due }} go due for {{ due_date }}. You fit pay anytime wey good for you: {{ pay_link }} You need more time? Reply CALL.",
        "subject": "Your payment go due for {{ due_date }}",
        "email": "Hello {{ first_name }},\n\nJust to let you know: {{ amount_due }} go due for {{ due_date }}.\n\nYou fit pay anytime before dat day for here: {{ pay_link }}\n\nIf dat date no work for you, tell us. Reply dis email or call {{ support_phone }}, and we go find date wey go work.",
    },
    "first_miss_checkin": {
        "sms": "Hello {{ first_name }}, na {{ creditor_name }}. You don dey with us for long time, and we notice say dis month payment never land. Everything dey alright? If something don change, we fit help. Reply CALL or check your options: {{ pay_link }}",
        "subject": "{{ first_name }}, everything dey alright?",
        "email": "Hello {{ first_name }},\n\nYou don dey with us for long time. We notice say your payment of {{ amount_due }} wey suppose land for {{ due_date }} never land. Dis no be your normal, so we just wan check on you.\n\nIf something don change, we dey here to help. We fit shift di date, or divide di money into small-small parts.\n\nCheck your options here: {{ pay_link }}\nOr call {{ agent_name|default:\"us\" }} for {{ support_phone }}. We go happy to yarn with you.",
    },
    "plan_offer": {
        "sms": "Hello {{ first_name }}, na {{ creditor_name }}. To pay {{ amount_due }} one time fit hard. You fit divide am into small-small parts wey fit your pocket. Choose plan here: {{ pay_link }}",
        "subject": "Pay small-small, for your own pace",
        "email": "Hello {{ first_name }},\n\nTo pay {{ amount_due }} one time fit hard. You fit divide am into small-small parts wey fit your pocket.\n\nNa you go choose how much and how often. See di plan options here: {{ pay_link }}\n\nIf you wan talk am over, call us for {{ support_phone }}. Questions and answers dey here: {{ faq_link }}",
    },
    "plan_confirmation": {
        "sms": "Hello {{ first_name }}, your plan don set: {{ plan_summary }}. Your next payment na {{ plan_instalment_amount }} for {{ plan_next_date }}. See or change am here: {{ pay_link }}",
        "subject": "Your plan don set",
        "email": "Hello {{ first_name }},\n\nThank you. Your plan don set: {{ plan_summary }}.\n\nYour next payment na {{ plan_instalment_amount }} for {{ plan_next_date }}.\n\nYou fit see your plan, or ask make we change am, for here: {{ pay_link }}\nIf things change for you, call us for {{ support_phone }}. We go adjust di plan with you.",
    },
    "instalment_due": {
        "sms": "Hello {{ first_name }}, small reminder from {{ creditor_name }}: your plan payment of {{ plan_instalment_amount }} go due for {{ plan_next_date }}. Pay here: {{ pay_link }} You wan shift am? Reply CALL.",
        "subject": "Your plan payment go due for {{ plan_next_date }}",
        "email": "Hello {{ first_name }},\n\nSmall reminder: your plan payment of {{ plan_instalment_amount }} go due for {{ plan_next_date }}. Na {{ plan_instalments_left }} payments remain.\n\nPay here: {{ pay_link }}\n\nIf you need to shift dis date, reply dis email or call {{ support_phone }}.",
    },
    "card_expiring": {
        "sms": "Hello {{ first_name }}, di card wey end with {{ card_last4 }} wey dey pay your plan go expire {{ card_expiry }}. Abeg update am make your payments continue: {{ pay_link }} Any question? Call {{ support_phone }}.",
        "subject": "Your card go soon expire",
        "email": "Hello {{ first_name }},\n\nDi card wey end with {{ card_last4 }} wey dey pay your plan go expire {{ card_expiry }}.\n\nMake your plan continue well, abeg add your new card for here: {{ pay_link }}\n\nIf you get any question, call us for {{ support_phone }}.",
    },
    "payment_receipt": {
        "sms": "Thank you, {{ first_name }}! We don receive your payment of {{ payment_amount }} for {{ payment_date }}. Wetin remain: {{ balance_left }}. Your receipt: {{ pay_link }}",
        "subject": "Thank you, we don receive your payment",
        "email": "Hello {{ first_name }},\n\nThank you! We don receive your payment of {{ payment_amount }} for {{ payment_date }}.\n\nWetin remain: {{ balance_left }}.\n\nYour receipt dey here: {{ pay_link }}\nIf anything no correct, call us for {{ support_phone }}.",
    },
    "dispute_acknowledgement": {
        "sms": "Hello {{ first_name }}, we don get your message say something no correct for dis account. Thank you say you tell us. We go check am well and write you back. Any question? Call {{ support_phone }}.",
        "subject": "We don get your message, we dey check am",
        "email": "Hello {{ first_name }},\n\nThank you say you tell us say something no correct for dis account.\n\nWe go check am well and write you back with wetin we find. Until then, we no go ask you to pay di part wey you question.\n\nIf you wan add anything, reply dis email or call {{ support_phone }}.",
    },
    "callback_confirmation": {
        "sms": "Hello {{ first_name }}, thank you say you ask make we call you. {{ agent_name|default:\"Person from our team\" }} go call you {{ callback_time }}. If dat time no good again, reply make we change am.",
        "subject": "We go call you {{ callback_time }}",
        "email": "Hello {{ first_name }},\n\nThank you say you ask make we call you. {{ agent_name|default:\"Person from our team\" }} go call you {{ callback_time }}.\n\nIf dat time no good for you again, reply dis email make we change am, or call us for {{ support_phone }}.",
    },
    "verification_code": {
        "sms": "Hello {{ first_name }}, your {{ creditor_name }} code na {{ verification_code }}. E go work for 10 minutes. If no be you ask for am, you fit ignore dis message or call {{ support_phone }}.",
        "subject": "Your code for {{ creditor_name }}",
        "email": "Hello {{ first_name }},\n\nYour code na {{ verification_code }}. E go work for 10 minutes.\n\nIf no be you ask for am, you fit ignore dis email. Any question? Call us for {{ support_phone }}.",
    },
    "seasonal_care": {
        "sms": "Hello {{ first_name }}, na Valentine week! We wan say thank you as you dey with {{ creditor_name }}. Small money advice: {{ budgeting_tip }} If plan go help you, e dey here: {{ pay_link }}",
        "subject": "Small thank you, plus money advice",
        "email": "Hello {{ first_name }},\n\nNa Valentine week, and we wan say thank you as you dey with us. Take am easy on yourself dis week.\n\nSmall money advice from us: {{ budgeting_tip }}\n\nIf plan wey fit your pocket go help you, you fit set am up here: {{ pay_link }}\nOr call us for {{ support_phone }}. We dey happy to help.",
    },
    "opt_out_confirmation": {
        "sms": "You no go receive text from {{ creditor_name }} for dis number again.",
        "whatsapp": "You no go receive WhatsApp message from {{ creditor_name }} for dis number again.",
        "subject": "You no go receive email from us again",
        "email": "You no go receive email from {{ creditor_name }} for dis address again.",
    },
}
