"""English default library. Short, plain, warm; always a way forward; never pressure."""

SIGN_OFF = "Thank you,\n{{ creditor_name }}"

LIBRARY = {
    "friendly_reminder": {
        "sms": "Hi {{ first_name }}, this is {{ creditor_name }}. A friendly reminder: {{ amount_due }} was due on {{ due_date }}. You can pay here: {{ pay_link }} If now is hard, reply PLAN and we will help.",
        "subject": "A friendly reminder from {{ creditor_name }}",
        "email": "Hi {{ first_name }},\n\nThis is a friendly reminder that {{ amount_due }} was due on {{ due_date }}.\n\nYou can pay in a minute here: {{ pay_link }}\n\nIf money is tight right now, you are not alone. We can set up a plan that fits your budget. Just reply to this email or call us on {{ support_phone }}.",
    },
    "pre_due_nudge": {
        "sms": "Hi {{ first_name }}, {{ creditor_name }} here. Just a heads-up: {{ amount_due }} is due on {{ due_date }}. Pay when it suits you: {{ pay_link }} Need more time? Reply CALL.",
        "subject": "Your payment is due on {{ due_date }}",
        "email": "Hi {{ first_name }},\n\nJust a heads-up: {{ amount_due }} is due on {{ due_date }}.\n\nYou can pay any time before then here: {{ pay_link }}\n\nIf that date does not work for you, tell us. Reply to this email or call {{ support_phone }}, and we will find a date that does.",
    },
    "first_miss_checkin": {
        "sms": "Hi {{ first_name }}, it's {{ creditor_name }}. You have been with us a long time, and this month's payment did not come in. Is all OK? If things have changed, we can help. Reply CALL or see your options: {{ pay_link }}",
        "subject": "Is everything OK, {{ first_name }}?",
        "email": "Hi {{ first_name }},\n\nYou have been with us for a long time. We saw that your payment of {{ amount_due }}, due on {{ due_date }}, has not come in. That is not like you, so we wanted to check in.\n\nIf something has changed, we are here to help. We can move the date, or split the amount into smaller parts.\n\nSee your options here: {{ pay_link }}\nOr call {{ agent_name|default:\"us\" }} on {{ support_phone }}. We are happy to talk.",
    },
    "plan_offer": {
        "sms": "Hi {{ first_name }}, {{ creditor_name }} here. Paying {{ amount_due }} at once can be hard. You can split it into smaller parts that fit your budget. Pick a plan here: {{ pay_link }}",
        "subject": "Pay in smaller parts, at your pace",
        "email": "Hi {{ first_name }},\n\nPaying {{ amount_due }} all at once can be hard. You can split it into smaller parts that fit your budget.\n\nYou choose how much and how often. See your plan options here: {{ pay_link }}\n\nIf you would like to talk it through, call us on {{ support_phone }}. Questions and answers: {{ faq_link }}",
    },
    "plan_confirmation": {
        "sms": "Hi {{ first_name }}, your plan is set: {{ plan_summary }}. Your next payment is {{ plan_instalment_amount }} on {{ plan_next_date }}. See or change it here: {{ pay_link }}",
        "subject": "Your plan is set",
        "email": "Hi {{ first_name }},\n\nThank you. Your plan is set: {{ plan_summary }}.\n\nYour next payment is {{ plan_instalment_amount }} on {{ plan_next_date }}.\n\nYou can see your plan, or ask to change it, here: {{ pay_link }}\nIf things change for you, call us on {{ support_phone }}. We can change the plan with you.",
    },
    "instalment_due": {
        "sms": "Hi {{ first_name }}, a reminder from {{ creditor_name }}: your plan payment of {{ plan_instalment_amount }} is due on {{ plan_next_date }}. Pay here: {{ pay_link }} Need to move it? Reply CALL.",
        "subject": "Your plan payment is due on {{ plan_next_date }}",
        "email": "Hi {{ first_name }},\n\nA quick reminder: your plan payment of {{ plan_instalment_amount }} is due on {{ plan_next_date }}. You have {{ plan_instalments_left }} payments left.\n\nPay here: {{ pay_link }}\n\nIf you need to move this date, reply to this email or call {{ support_phone }}.",
    },
    "card_expiring": {
        "sms": "Hi {{ first_name }}, the card ending {{ card_last4 }} that pays your plan expires {{ card_expiry }}. Please update it so your payments keep going: {{ pay_link }} Questions? Call {{ support_phone }}.",
        "subject": "Your card is about to expire",
        "email": "Hi {{ first_name }},\n\nThe card ending {{ card_last4 }} that pays your plan expires {{ card_expiry }}.\n\nTo keep your plan on track, please add your new card here: {{ pay_link }}\n\nIf you have any questions, call us on {{ support_phone }}.",
    },
    "payment_receipt": {
        "sms": "Thank you, {{ first_name }}. We got your payment of {{ payment_amount }} on {{ payment_date }}. Left to pay: {{ balance_left }}. Your receipt: {{ pay_link }}",
        "subject": "Thank you, we got your payment",
        "email": "Hi {{ first_name }},\n\nThank you. We got your payment of {{ payment_amount }} on {{ payment_date }}.\n\nLeft to pay: {{ balance_left }}.\n\nYour receipt is here: {{ pay_link }}\nIf anything looks wrong, call us on {{ support_phone }}.",
    },
    "dispute_acknowledgement": {
        "sms": "Hi {{ first_name }}, we got your message that something about this account is not right. Thank you for telling us. We will look into it and write back. Questions? Call {{ support_phone }}.",
        "subject": "We got your message and are looking into it",
        "email": "Hi {{ first_name }},\n\nThank you for telling us that something about this account is not right.\n\nWe will look into it and write back with what we find. Until then, we will not ask you to pay the part you questioned.\n\nIf you want to add anything, reply to this email or call {{ support_phone }}.",
    },
    "callback_confirmation": {
        "sms": "Hi {{ first_name }}, thanks for asking us to call. {{ agent_name|default:\"One of our team\" }} will call you on {{ callback_time }}. If that time does not work, reply to change it.",
        "subject": "We will call you on {{ callback_time }}",
        "email": "Hi {{ first_name }},\n\nThanks for asking us to call. {{ agent_name|default:\"One of our team\" }} will call you on {{ callback_time }}.\n\nIf that time no longer works, reply to this email to change it, or call us on {{ support_phone }}.",
    },
    "verification_code": {
        "sms": "Hi {{ first_name }}, your {{ creditor_name }} code is {{ verification_code }}. It works for 10 minutes. If you did not ask for it, you can ignore this message or call {{ support_phone }}.",
        "subject": "Your code for {{ creditor_name }}",
        "email": "Hi {{ first_name }},\n\nYour code is {{ verification_code }}. It works for 10 minutes.\n\nIf you did not ask for it, you can ignore this email. Questions? Call us on {{ support_phone }}.",
    },
    "seasonal_care": {
        "sms": "Hi {{ first_name }}, this Valentine's week we want to say thank you for being with {{ creditor_name }}. A small money tip: {{ budgeting_tip }} If a plan would help, it's here: {{ pay_link }}",
        "subject": "A small thank you, and a money tip",
        "email": "Hi {{ first_name }},\n\nThis Valentine's week, we want to say thank you for being with us. Be kind to yourself this week.\n\nHere is a small money tip: {{ budgeting_tip }}\n\nIf a plan that fits your budget would help, you can set one up here: {{ pay_link }}\nOr call us on {{ support_phone }}. We are happy to help.",
    },
    "opt_out_confirmation": {
        "sms": "You will get no more texts from {{ creditor_name }} at this number.",
        "whatsapp": "You will get no more WhatsApp messages from {{ creditor_name }} at this number.",
        "subject": "You will get no more emails from us",
        "email": "You will get no more emails from {{ creditor_name }} at this address.",
    },
}
