"""Spanish default library (usted; claro, cálido, siempre con una opción)."""

SIGN_OFF = "Gracias,\n{{ creditor_name }}"

LIBRARY = {
    "friendly_reminder": {
        "sms": "Hola {{ first_name }}, le escribe {{ creditor_name }}. Un recordatorio amable: {{ amount_due }} venció el {{ due_date }}. Puede pagar aquí: {{ pay_link }} Si ahora es difícil, responda PLAN y le ayudamos.",
        "subject": "Un recordatorio amable de {{ creditor_name }}",
        "email": "Hola {{ first_name }},\n\nLe recordamos que {{ amount_due }} venció el {{ due_date }}.\n\nPuede pagar en un minuto aquí: {{ pay_link }}\n\nSi el dinero está justo ahora, no es el único. Podemos preparar un plan que se ajuste a su presupuesto. Responda a este correo o llámenos al {{ support_phone }}.",
    },
    "pre_due_nudge": {
        "sms": "Hola {{ first_name }}, le escribe {{ creditor_name }}. Para que lo tenga en cuenta: {{ amount_due }} vence el {{ due_date }}. Pague cuando le venga bien: {{ pay_link }} ¿Necesita más tiempo? Responda LLAMAR.",
        "subject": "Su pago vence el {{ due_date }}",
        "email": "Hola {{ first_name }},\n\nPara que lo tenga en cuenta: {{ amount_due }} vence el {{ due_date }}.\n\nPuede pagar cuando quiera antes de esa fecha aquí: {{ pay_link }}\n\nSi esa fecha no le viene bien, díganoslo. Responda a este correo o llame al {{ support_phone }} y buscaremos una fecha que le sirva.",
    },
    "first_miss_checkin": {
        "sms": "Hola {{ first_name }}, le escribe {{ creditor_name }}. Lleva mucho tiempo con nosotros y el pago de este mes no ha llegado. ¿Todo bien? Si algo ha cambiado, podemos ayudar. Responda LLAMAR o vea sus opciones: {{ pay_link }}",
        "subject": "¿Todo bien, {{ first_name }}?",
        "email": "Hola {{ first_name }},\n\nLleva mucho tiempo con nosotros. Vimos que su pago de {{ amount_due }}, con fecha {{ due_date }}, no ha llegado. No es lo habitual en usted, así que queríamos saber cómo está.\n\nSi algo ha cambiado, estamos aquí para ayudar. Podemos mover la fecha o dividir el importe en partes más pequeñas.\n\nVea sus opciones aquí: {{ pay_link }}\nO llame a {{ agent_name|default:\"nuestro equipo\" }} al {{ support_phone }}. Será un gusto hablar con usted.",
    },
    "plan_offer": {
        "sms": "Hola {{ first_name }}, le escribe {{ creditor_name }}. Pagar {{ amount_due }} de una vez puede ser difícil. Puede dividirlo en partes que se ajusten a su presupuesto. Elija un plan aquí: {{ pay_link }}",
        "subject": "Pague en partes, a su ritmo",
        "email": "Hola {{ first_name }},\n\nPagar {{ amount_due }} de una vez puede ser difícil. Puede dividirlo en partes que se ajusten a su presupuesto.\n\nUsted elige cuánto y cada cuánto. Vea las opciones aquí: {{ pay_link }}\n\nSi prefiere hablarlo, llámenos al {{ support_phone }}. Preguntas frecuentes: {{ faq_link }}",
    },
    "plan_confirmation": {
        "sms": "Hola {{ first_name }}, su plan está listo: {{ plan_summary }}. Próximo pago: {{ plan_instalment_amount }} el {{ plan_next_date }}. Véalo o cámbielo aquí: {{ pay_link }}",
        "subject": "Su plan está listo",
        "email": "Hola {{ first_name }},\n\nGracias. Su plan está listo: {{ plan_summary }}.\n\nSu próximo pago es de {{ plan_instalment_amount }} el {{ plan_next_date }}.\n\nPuede ver su plan, o pedir un cambio, aquí: {{ pay_link }}\nSi su situación cambia, llámenos al {{ support_phone }}. Ajustaremos el plan con usted.",
    },
    "instalment_due": {
        "sms": "Hola {{ first_name }}, recordatorio de {{ creditor_name }}: su pago del plan de {{ plan_instalment_amount }} vence el {{ plan_next_date }}. Pague aquí: {{ pay_link }} ¿Necesita moverlo? Responda LLAMAR.",
        "subject": "Su pago del plan vence el {{ plan_next_date }}",
        "email": "Hola {{ first_name }},\n\nUn breve recordatorio: su pago del plan de {{ plan_instalment_amount }} vence el {{ plan_next_date }}. Le quedan {{ plan_instalments_left }} pagos.\n\nPague aquí: {{ pay_link }}\n\nSi necesita mover esta fecha, responda a este correo o llame al {{ support_phone }}.",
    },
    "card_expiring": {
        "sms": "Hola {{ first_name }}, la tarjeta que termina en {{ card_last4 }} y paga su plan vence en {{ card_expiry }}. Actualícela para que sus pagos sigan: {{ pay_link }} ¿Dudas? {{ support_phone }}",
        "subject": "Su tarjeta vence pronto",
        "email": "Hola {{ first_name }},\n\nLa tarjeta que termina en {{ card_last4 }} y paga su plan vence en {{ card_expiry }}.\n\nPara que su plan siga sin problemas, añada su nueva tarjeta aquí: {{ pay_link }}\n\nSi tiene dudas, llámenos al {{ support_phone }}.",
    },
    "payment_receipt": {
        "sms": "¡Gracias, {{ first_name }}! Recibimos su pago de {{ payment_amount }} el {{ payment_date }}. Queda por pagar: {{ balance_left }}. Su recibo: {{ pay_link }}",
        "subject": "Gracias, recibimos su pago",
        "email": "Hola {{ first_name }},\n\n¡Gracias! Recibimos su pago de {{ payment_amount }} el {{ payment_date }}.\n\nQueda por pagar: {{ balance_left }}.\n\nSu recibo está aquí: {{ pay_link }}\nSi algo no le parece correcto, llámenos al {{ support_phone }}.",
    },
    "dispute_acknowledgement": {
        "sms": "Hola {{ first_name }}, recibimos su mensaje de que algo en esta cuenta no está bien. Gracias por avisarnos. Lo revisaremos y le responderemos. ¿Dudas? {{ support_phone }}",
        "subject": "Recibimos su mensaje y lo estamos revisando",
        "email": "Hola {{ first_name }},\n\nGracias por avisarnos de que algo en esta cuenta no está bien.\n\nLo revisaremos y le responderemos con lo que encontremos. Mientras tanto, no le pediremos que pague la parte que usted cuestiona.\n\nSi quiere añadir algo, responda a este correo o llame al {{ support_phone }}.",
    },
    "callback_confirmation": {
        "sms": "Hola {{ first_name }}, gracias por pedirnos que le llamemos. {{ agent_name|default:\"Alguien de nuestro equipo\" }} le llamará el {{ callback_time }}. Si esa hora ya no le sirve, responda para cambiarla.",
        "subject": "Le llamaremos el {{ callback_time }}",
        "email": "Hola {{ first_name }},\n\nGracias por pedirnos que le llamemos. {{ agent_name|default:\"Alguien de nuestro equipo\" }} le llamará el {{ callback_time }}.\n\nSi esa hora ya no le sirve, responda a este correo para cambiarla o llámenos al {{ support_phone }}.",
    },
    "verification_code": {
        "sms": "Hola {{ first_name }}, su código de {{ creditor_name }} es {{ verification_code }}. Sirve durante 10 minutos. Si no lo pidió, puede ignorar este mensaje o llamar al {{ support_phone }}.",
        "subject": "Su código para {{ creditor_name }}",
        "email": "Hola {{ first_name }},\n\nSu código es {{ verification_code }}. Sirve durante 10 minutos.\n\nSi no lo pidió, puede ignorar este correo. ¿Preguntas? Llámenos al {{ support_phone }}.",
    },
    "seasonal_care": {
        "sms": "Hola {{ first_name }}, en esta semana de San Valentín, gracias por estar con {{ creditor_name }}. Un pequeño consejo: {{ budgeting_tip }} Si un plan le ayuda, está aquí: {{ pay_link }}",
        "subject": "Un pequeño gracias y un consejo",
        "email": "Hola {{ first_name }},\n\nEn esta semana de San Valentín queremos darle las gracias por estar con nosotros. Cuídese mucho.\n\nUn pequeño consejo para su presupuesto: {{ budgeting_tip }}\n\nSi un plan que se ajuste a su presupuesto le ayuda, puede crearlo aquí: {{ pay_link }}\nO llámenos al {{ support_phone }}. Con gusto le ayudamos.",
    },
    "opt_out_confirmation": {
        "sms": "No recibirá más mensajes de texto de {{ creditor_name }} en este número.",
        "whatsapp": "No recibirá más mensajes de WhatsApp de {{ creditor_name }} en este número.",
        "subject": "No recibirá más correos nuestros",
        "email": "No recibirá más correos de {{ creditor_name }} en esta dirección.",
    },
}
