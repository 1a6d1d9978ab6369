//! `classify-email`: what an inbound email is (one of ten categories), what Baton should do
//! with it (one of five actions), its language, and who in the CRM sent it about which deal.
//!
//! Rules, in order: an automatic reply is `out_of_office` and is never answered; a cold pitch
//! from someone the CRM does not know is `vendor_pitch_spam`; a "wrong person / I left" is a
//! referral; an opt-out or "on hold" is `not_interested`; otherwise the cues of the remaining
//! categories are weighed over the new text only (quotes, signatures and disclaimers are
//! stripped by [`Email::new_text`]). Cues are phrase families (English first, then Spanish,
//! German, French, Portuguese, Dutch, Italian), not the sample's sentences. When no category
//! has its evidence, a doubt voiced is an objection, and otherwise the words decide
//! ([`crate::triage_words`]: a naive Bayes over our own annotated emails) among the
//! categories a person still sees.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Value, json};

use crate::email::{self, Email};
use crate::intents::re;
use crate::triage_crm::{self, Crm};

pub use crate::triage_crm::extract_return_date;

/// A family of cues and what each match weighs.
struct Cues(Vec<(Regex, u32)>);

impl Cues {
    fn new(list: &[(&str, u32)]) -> Cues {
        Cues(list.iter().map(|(p, w)| (re(p), *w)).collect())
    }

    fn score(&self, text: &str) -> u32 {
        self.0
            .iter()
            .map(|(r, w)| r.find_iter(text).count() as u32 * w)
            .sum()
    }
}

macro_rules! cues {
    ($name:ident, $($p:literal => $w:literal),+ $(,)?) => {
        static $name: LazyLock<Cues> = LazyLock::new(|| Cues::new(&[$(($p, $w)),+]));
    };
}

cues!(OUT_OF_OFFICE,
    r"\bout of (the )?office\b" => 2, r"\b(on|taking) (annual|paternity|maternity|parental|sick|medical) leave\b" => 2,
    r"\b(back|return(ing)?) (on|in the office|to the office|monday|tuesday|wednesday|thursday|friday)\b" => 1, r"\bbe back\b" => 1,
    r"\b(with|have) (limited|no|intermittent) access\b|\b(limited|no) access to (e-?mail|my inbox)\b" => 2, r"\b(i'?m|i am) (currently )?out (of|with|until|till|through)\b" => 1, r"\bautomatic reply\b|\bauto-?reply\b" => 2,
    r"\bfuera de la oficina\b|\bde vacaciones\b" => 2, r"\bvolver[ée] el\b" => 1,
    r"\bacceso limitado\b|\bpara (asuntos|temas|cuestiones) urgentes\b" => 2,
    r"\baway from (my|the) (desk|office|computer|e-?mail|inbox)\b" => 2,
    r"\b(i'?m|i am|i will be|i'?ll be|we'?re|we are) (currently )?(away|out|off|on leave|on holiday|on vacation|travell?ing)( from the office| of (the )?office)? (until|till|through|thru)\b" => 2,
    r"\b(mailbox|inbox|e-?mail address|address) is (not|no longer) (monitored|checked|read)\b|\bunmonitored (mailbox|inbox|address)\b" => 4,
    r"\bon (jury duty|jury service|bereavement leave|compassionate leave|secondment|sabbatical)\b|\b(will not|won'?t) be (checking|(reading|monitoring|answering) (e-?mails?|my e-?mails?|messages))\b" => 2,
    r"\bchecking (e-?mails?|my inbox|messages) (only )?(in the (evenings?|mornings?)|once a day|at night|after hours)\b" => 2,
    r"\b(expect|there may be|there will be|apologi[sz]e for) (a )?(slower|delayed|slow|late) (response|reply|replies)\b|\bdelays? in (my )?(response|reply|responding)\b" => 2,
    r"\b(limited|no|intermittent|patchy|sporadic) (access to )?e-?mail\b|\bfor (anything|something|matters?|queries|issues) (that )?(can'?t|cannot|won'?t) wait\b" => 2,
    r"\b(no|limited|patchy) (signal|reception|connectivity|wi-?fi|internet)\b" => 2,
    r"\b(out|away) (on|at) (a |the )?(job|site|job site|the road|holiday|vacation|a course|training|a conference)\b" => 2,
    r"\b(will|i'?ll) (reply|respond|get back to you|answer)( to (it|your (e-?mail|message)))?( \w+ly)? (when|once|on my return|upon my return|as soon as)\b" => 2,
    r"\bchecking (e-?mails?|my inbox|messages) (only )?(intermittently|sporadically|occasionally|periodically|infrequently|rarely)\b|\bintermittent(ly)? (access|e-?mail)\b" => 2,
    r"\b(travell?ing|at a (trade ?show|conference|convention|expo)|on the road)\b" => 1, r"\bwhen i'?m back\b|\bback on the \d" => 1,
    r"\bfor (anything|something|matters?|queries) urgent\b|\bfor urgent (matters|queries|issues|requests)\b|\bif (it'?s|this is|your (message|query) is) urgent\b" => 2,
    // French, German, Dutch, Portuguese and Italian autoreplies
    r"\ben cong[ée]\b|\babsente? du bureau\b|\bde retour le\b|\br[ée]ponse automatique\b|\bactuellement absente?\b|\bje (suis|serai) absente?\b|\bpour toute urgence\b|\ben cas d'urgence\b" => 2,
    r"\bin dringenden f[äa]llen\b" => 2,
    r"\bnicht im b[üu]ro\b|\babwesen(d|heit\w*)\b|\bim urlaub\b|\bwieder (im b[üu]ro|erreichbar)\b|\bzugriff auf (meine )?e-?mails\b" => 2,
    r"\bafwezig\b|\bniet op kantoor\b|\bmet vakantie\b|\bweer aanwezig\b" => 2,
    r"\bfora do escrit[óo]rio\b|\bde f[ée]rias\b|\baus[êe]ncia\b|\bacesso limitado\b|\bestarei de volta\b" => 2,
    r"\bfuori ufficio\b|\bin ferie\b|\brisposta automatica\b" => 2);
cues!(SPAM,
    r"\b(don'?t|do not) want to hear from (me|us)\b" => 2, r"\bunsubscribe\b|\bopt[- ]out\b" => 2,
    r"\bteams like yours\b|\bcompanies like yours\b" => 2, r"\b\d+x (your )?(pipeline|revenue|sales|leads|traffic)\b" => 2,
    r"\bguarantee(d)?\b.{0,40}\b(rank|results|leads|page)" => 2, r"\bfree (seo )?(audit|trial|report|consultation|demo)\b" => 1,
    r"\b(i|we) (was|were|have been) (analy[sz]ing|looking at|reviewing) (your|\w+\.\w+)" => 2,
    r"\bnoticed (that )?\w+ is (hiring|growing|expanding)\b" => 2, r"\bcongrats on\b" => 1,
r"\bwould you be open to\b" => 1,
    r"\b(we|our (team|agency|platform)) (can )?(help|helps) (companies|teams|businesses|you)\b" => 1,
    r"\bfree ([\w-]+ ){1,2}(audit|report|analysis|assessment|review)\b" => 1,
    r"\byour (website|site|homepage|landing page|google (ranking|listing|profile)|reviews)\b[^.?!]{0,40}\b(slow|loads?|takes|ranks?|is missing|isn'?t|doesn'?t)\b" => 2,
    r"\b(podcast|webinar|panel|newsletter|summit|conference|livestream)\b[^.?!]{0,60}\b(guest|speaker|feature you|interview you)\b|\bhave you on (as|our|the)\b" => 2,
    r"\bimagine (your|if your|having)\b|\bai sdrs?\b" => 1, r"\b(our|my) (ai|tool|platform|team|agency|sdrs?|service) (books?|generates?|delivers?) (qualified )?(meetings|demos|appointments|leads)\b" => 2,
    r"\b(i|we) speciali[sz]e in\b" => 2,
    r"\b(loved|enjoyed|read) your (recent |latest )?(post|article|talk|piece|video|blog)\b" => 1,
    r"\bhyper-?personali[sz]ed\b|\bat scale\b|\bfirst page\b|\bcritical errors\b" => 1,
    r"\b(companies|businesses|teams) like \w+\b" => 1, r"\bwe'?re (a|an) (leading|top|premier|trusted|award)" => 2,
    r"\b\d+x (faster|more|better|cheaper)\b|\bat (half|a fraction of) the cost\b" => 2, r"\breply (stop|yes|interested|y)\b" => 2,
    r"\b(we|i)('ve| have)? (place|placed|help|helped|work with|worked with|partner with|partnered with) (top|leading|growing|dozens|hundreds|\d+\+?|two|three|four|five|six|several|many|over|more than|companies|teams|businesses|field|saas|b2b)" => 2,
    r"\b(double|triple|boost|grow|increase)d? (their|your) (reply|response|open|conversion|close|booking) rates?\b|\b(double|triple)d? (their|your) (pipeline|revenue|leads|meetings|bookings)\b" => 2,
    r"\bwho'?s (responsible for|in charge of|heading up|running) (outbound|marketing|sales|growth|demand gen|recruiting|hiring|procurement)\b|\bpoint me (to|towards|in the direction of) the right person\b" => 1,
    r"\b(recruit\w*|hiring plans|top talent|candidates)\b" => 1, r"\bquick (call|chat|intro)\b" => 1,
    r"\bif (this|it) (isn'?t|is not|'s not) (relevant|a fit)\b" => 2,
    r"\b(i lead|i run|head of|i manage) (partnerships|alliances|business development)\b|\bexplore a partnership\b|\bpartnership opportunity\b|\bco-?market\w*\b" => 2,
    r"\b(do you have|have you got|could you spare|got) (\d+|a few|fifteen|twenty|ten) (minutes|mins)\b" => 1,
    r"\bnoticed (that )?[\w.]+ (only )?(has|is|was|doesn'?t|isn'?t)\b|\bwe help (\w+ ){0,2}(companies|teams|businesses|brands|firms)\b" => 2,
    r"\b\d+\+? (five-star |5-star )?reviews\b|\bin \d+ days\b|\binterested\?" => 1,
    r"\b(we'?re|we are) an? (\w+ ){0,3}(consultancy|agency|firm|studio|outsourcing)\b" => 2, r"\bwe run \w+ (campaigns|programs|programmes|events|webinars)\b|\binfluencers?\b|\blove what [\w.]+ (is|are) (building|doing)\b" => 2,
    r"\bopen to a (quick |short |\d+[- ]?min(ute)? )?(chat|call|conversation|intro)\b" => 1,
    r"\b(hosting|host|running) (a |an |our )?(roundtable|dinner|webinar|event|summit|meetup|breakfast|panel)\b|\bsave you a (seat|spot)\b|\b(dinner|drinks|lunch)('s| is) on us\b" => 2,
    r"\bwe (produce|make|create|build|design|write|offer|provide) [^.?!]{0,40}\bfor (((fast|high)-?growth|fast-?growing|growing|ambitious|scaling|leading) )?(saas|b2b|tech|software|startups?|companies|brands|businesses|teams)\b" => 2,
    r"\b\d+% (more|higher|increase|fewer|lower|less)\b|\b\d+\+ (engineers|developers|clients|customers|brands|companies)\b" => 1,
    // cold outreach: how they found you, what they noticed, what their clients get
    r"\b(came across|found|stumbled (up)?on|saw|spotted) [\w.]+( \w+)? (on|via|through) (linkedin|google|twitter|x|g2|capterra|crunchbase|product ?hunt)\b" => 2,
    r"\b(saw|see|noticed|notice|spotted) (that )?(you'?re|you are|your team is|[\w.]+ is|[\w.]+ are) (hiring|growing|scaling|expanding|raising|opening)\b|\bimpressed (by|with) (your|[\w.]+'s) (growth|progress|traction|team)\b" => 2,
    r"\b(our|my) (clients|customers) (typically|usually|often|regularly|generally|on average)? ?(see|get|achieve|book|report)\b|\bbooks? (qualified )?(meetings|demos|appointments|calls) for\b" => 2,
    r"\b(\d+|quick|short|brief|fifteen|ten|twenty)[- ]?(minute|min) (call|chat|intro|conversation)\b|\bworth a (quick |short )?(chat|call|conversation)\b" => 1,
    r"\bcan i send (over )?(a couple of |some |a few )?(samples|examples|case studies|ideas)\b|\bextra (hands|capacity|engineers|developers)\b|\bon your roadmap\b" => 1, r"\bmind if i send\b|\b\d+-minute (video|demo|loom)\b|\b(teams|companies|founders) we (talk|speak|work) (to|with)\b" => 1);
cues!(REFERRAL,
    r"\b(wrong|not the right|not the best|not the correct) (person|contact|one|guy|people|department|team)\b" => 3,
    r"\b(makes|takes|handles|owns|signs off on) (these|those|all|such|the|any|buying|purchasing|software|final) (\w+ )?(decisions|calls)\b" => 3, r"\b(i|i've|i have) (left|moved on from)\b" => 2,
    r"\bno longer (with|at|work(ing)? (at|for))\b" => 3,
    r"\b(you'?d|you would|you'll|you will|you should) (want|need) (to (speak|talk) (to|with) )?(our|my|the)\b" => 2,
    r"\b(better|right) person (to|is|would be)\b" => 2, r"\bpersona (equivocada|adecuada|correcta)\b" => 3,
    r"\bya no (trabajo|estoy) en\b" => 3,
    r"\b(i|i'?ve|i have) (moved|switched|transferred|changed) (over |across )?(to|into)\b" => 2,
    r"\bno longer (deal with|handle|look after|work on|manage|run|own)\b|\b(don'?t|do not) (deal with|handle|look after|work on|manage|run|own)\b[^.?!]{0,40}\b(any ?more|these days)\b" => 2,
    r"\btook over (from me|my (role|position|job))\b|\b(has|have) taken over (from me|my)\b|\b(is|'s|would be) the (one|person|guy|people) to (talk|speak) to\b" => 3,
    r"\b(software|purchasing|buying|these|those|such|all|tech|technology) decisions (are|get) (made|taken|handled)\b" => 3, r"\btry \w+( \w+)? (at|on) [\w.+-]+@" => 2,
    r"\b(isn'?t|is not|'s not|no longer) (really )?(my|in my) (area|remit|department|responsibility|team|wheelhouse|patch)\b" => 3,
    r"\b(best|better) (to|if you) (speak|talk|reach out|get in touch|contact|reach|email|call)\b" => 2,
    r"\b(purchasing|buying|software|these|those|such|all|final) decisions? (go|goes|run|runs|are run) (through|via|past|by)\b" => 3,
    r"\byou (probably |might |may )?(want|need|'?ll want|'?d want) (my|our) (colleague|co-?worker|boss|manager|partner|director|owner|team|office)\b" => 3,
    r"\b(she'?s|he'?s|they'?re|who'?s|who is) (now )?(heading up|leading|running|in charge of|handling|managing|owning) (the|this|our)\b" => 2,
    r"\b(this|it|that|your (e-?mail|message|request|note)) (should|needs to|ought to|would need to) (really )?(go|be sent|be directed|be addressed) to\b" => 3,
    r"\bmy (replacement|successor)\b|\breplaced me\b" => 3,
    r"\bfor (anything|everything|all things|questions|matters) [\w-]+( related)?,? you'?(ll|d) (need|want) [a-z]+\b" => 3, r"\bi (only|just) (look after|handle|do|deal with|cover|manage) (the )?\w+" => 2,
    r"\byou can reach (him|her|them) (at|on|via)\b|,? not me\b" => 1,
    r"\bi'?m the (office|front desk|admin|receptionist|office manager|bookkeeper|assistant|secretary)\b" => 1,
    r"\b(she|he)( has|'s) (moved on|retired|left)\b|\b(she|he) (is no longer|no longer works)\b|\b\w+ (has )?(moved on|retired|left the (company|business|firm|team))( in| last| at the end| earlier| a (few|couple))\b" => 3,
    r"\bnot sure who'?s (now )?(looking after|handling|dealing with|in charge of|responsible for)\b" => 2, r"\byou (could|can|might) try\b" => 1,
    r"\b(is|are|would be|'s) (who|the (one|person|people|guy|team)) you (want|need|should (talk|speak) to)\b" => 3,
    r"\bi (handle|look after|run|do|manage|cover|work in) (our |the )?\w+,? not\b" => 2,
    r"\b(i'?ve|i have) (copied|cc'?d|looped|added) (him|her|them) (in|here|on this|to this)\b" => 1,
    r"\bhanded (this|it|that|things|the account|everything)? ?over to\b" => 3,
    r"\b(decisions?|buying decisions?|the call) (on|about|for) [^.?!]{0,25}\b(are|is) (made|taken) by\b" => 3,
    r"\bi'?m (just|only) (the|an?)\b" => 1,
    r"\b(i'?m|i am) (covering|filling in|standing in) for\b" => 3,
    r"\b(i'?m|i am) (covering|looking after|handling|managing|taking care of) (her|his|their|\w+'s) (accounts?|clients?|customers?|e-?mails?|inbox|work|territory|book)\b" => 3,
    r"\byou (want|need|should|'ll want|'d want) to (talk|speak) (to|with) (my|our)\b" => 3,
    r"\b(i'?m|i am) not (involved|responsible|the (one|person))\b" => 3,
    r"\b(pulled|moved|reassigned|put) (onto|on to|to) (another|a different|other)\b|\b(is |will be )?taking (it|this|things|the project|the account) over\b" => 2,
    r"\bwon'?t be (leading|handling|running|looking after|managing|owning) (this|it)\b" => 3,
    r"\bplease (contact|reach out to|speak to|speak with|email|get in touch with)\b([^.?!]|\.\S){0,80}\b(going forward|instead|from now on|in future)\b" => 2,
    r"\b(i'?ll|i will|i have|i'?ve) (forward(ed)?|pass(ed)?|sent) (this|it|your (note|message|e-?mail))( on| along)? to (him|her|them|our|my|the)\b" => 2,
    r"\b(changed|switched) (roles|jobs|teams|departments|positions)\b" => 2,
    r"^\W*wrong \w+\b|\byou'?re (probably )?(after|thinking of)\b" => 2,
    r"\bwho (looks after|handles|runs|owns|manages|is responsible for|deals with)\b" => 2,
    r"\b(i'?ve|i have) (cc'?d|copied|looped in|added)\b[^.?!]{0,60}\b(who|he|she|they) (owns|runs|handles|looks after|is responsible)\b" => 3);
cues!(NOT_INTERESTED,
    r"\bnot interested\b|\bno longer interested\b" => 3,
    r"\b(isn'?t|is not|not) something (we'?re|we are|i'?m|i am) (looking at|looking for|considering|interested in|pursuing)\b" => 3,
    r"\b(we'?re|we are|we'?ll|we will|i'?m|i am) (going to |gonna )?pass(\s*(on (this|it|that)|for now|this time|for this year)|\s*[.,!]|$)" => 3,
    r"\b(prefer|prefers|rather) to (keep|stick|stay) (using|with|doing)\b" => 2,
    r"\b(won'?t|will not|are not|aren'?t|not) (be )?(pursuing|proceeding with|moving ahead with|going ahead with|taking (this|it) (forward|further))\b" => 3,
    r"\b(ended up|we'?ve|we have|we) (signing|going|signed|gone|went) with (another|a different|an?other|a competitor|one of your competitors)\b" => 3, r"\bwe'?re (set|sorted|covered|all set) for now\b" => 2,
    r"\b(not|isn'?t|wasn'?t) (a|the) (good |great |right )?fit\b" => 2, r"\bclose (this|it|the (file|deal|opportunity)|us|me) out\b" => 2,
    r"\bchange (of|in) direction\b" => 2,
    r"\b(manage|managing|get by|getting by|doing) (fine|ok|okay|alright|well enough) (with|without|on)\b" => 2, r"\bthanks? (you )?anyway\b" => 2,
    r"\b(hold(ing)?|hang(ing)?) tight\b|\bstay(ing)? put\b|\bhold(ing)? fire\b" => 2, r"\bfor the foreseeable( future)?\b" => 1,
    r"\bwith (what we (have|use|'ve got)|our (current|existing) (setup|set-up|system|provider|vendor|software|tool|process|solution))\b" => 1,
    r"\b(no longer|not|aren'?t|not currently) (in the market|looking|shopping) for\b" => 3,
    r"\b(built|build|building|developed|developing) (our own|it|this|one)( \w+)? in-?house\b|\bin-?house (solution|system|tool|build)\b" => 2, r"^\W*(no,? thank(s| you)|not for us|we'?re (good|ok|okay|fine|all good),? thanks?)\b" => 3, r"\b(take|remove) (me|us) (off|from)\b" => 3,
    r"\bstop (e-?mailing|contacting|sending)\b" => 3, r"\bon hold\b" => 2, r"\b(revisit|circle back|reconnect) (in|next|later)\b" => 1,
    r"\b(decided|chosen|chose) to (go|move forward|stay) with\b" => 3, r"\bnot (the right time|a priority|moving forward)\b" => 2,
    r"\b(not|won'?t be) (going to |able to )?(move|moving) forward\b" => 3,
    r"\b(decided|chosen|chose) to go with (another|a different|an?other)\b" => 1, r"\bno (vamos a|podemos) (seguir|continuar|avanzar)\b" => 3, r"\bde momento no\b" => 2, r"\bno (nos )?interesa\b|\bno estamos interesados\b|\bdar(me|nos) de baja\b" => 3,
    r"\bhold(ing)? off\b|\b(shelved|put on ice|on the back burner)\b" => 2,
    r"\b(project|initiative|purchase|evaluation|search|rollout|decision|whole thing|everything|this|it)('s| is| has| was| got)? (been )?(put )?(on hold|on ice|shelved|parked|paused|on pause|on the back ?burner)\b" => 3,
    r"\b(tied|locked) (in|into) (a |an |our |the )?(\w+ )?(contract|agreement|deal|term)\b|\bunder contract (with|until|till|through)\b" => 2,
    r"\b(look at|revisit|pick up|come back to|check back on|review) (it|this|things|you) again (in|next|later|after|around|towards|once|when)\b" => 1,
    r"\b(don'?t|do not|doesn'?t|does not) have the (bandwidth|capacity|headspace|resources|time) (to|for)\b|\bno (bandwidth|capacity|headspace) (to|for)\b" => 2,
    r"\bbudgets? (got |have been |has been |were |was )?(cut|frozen|slashed|pulled)\b" => 2,
    r"\b(i'?ll|we'?ll) (reach out|be in touch|get back in touch|let you know) (if|when|should) (anything|something|things) changes?\b" => 2,
    r"\b(happy|fine|ok|okay|good|sorted|set) with (what we (have|use|'ve got)|our (current|existing)|the (current|existing))\b" => 3,
    r"\bno need to follow up\b|\b(please )?(don'?t|do not) follow up\b" => 3,
    r"\b(we'?ve|we have|we just|we) (signed|gone ahead|gone|went) with\b" => 3, r"\bwe'?re all set\b|\bbest of luck\b" => 1,
    r"^\W*not (right )?now\b|\bnot right now\b" => 3, r"\b(it'?s|that'?s) a no\b|\ba no from (us|me)\b" => 3,
    r"\b(we'?ll|we will|going to) (stick|stay) with\b" => 2, r"\b(stay|stick|staying|sticking) with (what we (have|use|'ve got)|our (current|existing))\b" => 3,
    r"\b(gone|going|go|went|headed|heading) (in )?(a )?(different|another|other) direction\b" => 3,
    r"\bif (that|anything|things|this) changes?,? (i'?ll|we'?ll) (let you know|reach out|be in touch|get in touch)\b" => 2, r"\bremove (me|us|my (address|e-?mail|details|name)|our (address|e-?mail|details)) from\b" => 3, r"\bnothing'?s (happening|moving|going to happen)\b|\bnothing is (happening|moving)\b" => 3, r"\b(decided|chosen|chose) not to (go ahead|proceed|move forward|buy|pursue|continue)\b" => 3,
    r"\btiming'?s? (is )?(just )?not (right|great|ideal)\b|\bbad timing\b|\bnothing (new )?(is getting|will be|gets|is being) approved\b" => 3, r"\bmaybe (when|once) (we'?ve|we have|we) (grown|got bigger|scaled)\b" => 1);
cues!(SUPPORT,
    r"\b(bug|error|crash(es|ed|ing)?|outage|glitch)\b" => 2, r"\bticket\b|#\d{4,}" => 2, r"\bworkaround\b" => 2,
    r"\bcan'?t (sync|log ?in|submit|access|open|connect|upload)\b|\bcannot (sync|log ?in|submit|access)\b" => 3,
    // "can't see the jobs", not "can't see this getting approved"
    r"\b(can'?t|cannot) see (the |any |my |our |their )?(jobs?|invoices?|data|schedule|board|appointments?|customers?|techs?|photos?|notes|reports?|bookings?|entries|history|anything)\b" => 3,
    r"\bdouble[- ]?book(ed|ings?)?\b|\b(booked|let|put) (two|2|both|three) (customers|jobs|people|techs|appointments|visits)\b[^.?!]{0,40}\bsame\b" => 3,
    r"\bis there a setting\b|\ba setting (we'?re|i'?m|we are|i am) missing\b|\bam i (doing something wrong|missing something)\b" => 2,
    r"\b(stopped|isn'?t|is not|aren'?t|not) working\b" => 2,
    r"\bkeeps? (saying|telling me|giving me|showing|throwing)\b|\balready in use\b|\berror message\b" => 2,
    r"\bcan'?t get [^.?!]{0,30}\b(added|to work|working|to load|to sync|to show|connected|set up|logged in)\b" => 3,
    r"\b(session|token|login) (has )?(expired|timed out|times out|expires|keeps expiring)\b|\b(didn'?t|did not|won'?t|doesn'?t|failed to|never) (generate|sync|load|update|run|go out|come through|show up|save|import|export|post)\b" => 3,
    r"\b(board|screen|calendar|schedule|list|page|dashboard)('s| is| was) (empty|blank)\b|\b(deleted|removed|lost) (a|the|our|my|\d+) (jobs?|invoices?|customers?|notes?|photos?|records?|entries)\b" => 3,
    r"\bkeep (logging|signing) (back )?in\b|\bevery (few|couple of|\d+) (minutes|mins|seconds)\b|\bget (it|them|this) back\b" => 2, r"\bsince the (app |latest |last )?update\b" => 2,
    r"\bsince (yesterday'?s|today'?s|this morning'?s|last night'?s|your|the (latest|last|recent|new)) (app |latest |last |recent |new )?(update|upgrade|release)\b" => 2,
    r"\blogs? (\w+ ){0,3}out\b|\b(lost|losing) (\w+ ){0,2}(jobs|data|work|orders|bookings|entries)\b" => 2,
    r"\b(can|could) (someone|somebody|anyone|you) (please )?(look at|look into|check|fix|take a look)\b" => 2,
    r"\b(aren'?t|are not|isn'?t|is not|not|never) (showing|coming) (up|through)\b|\bnone of [^.?!]{0,50}\b(are|is) (showing|coming|there|syncing|uploading)\b" => 3,
    r"\b(just )?(spins|hangs|freezes|froze|times out)\b|\bkeeps (crashing|spinning|loading|freezing|logging)\b" => 2,
    r"\btried (on|with|it on|again|restarting|reinstalling|another|a different)\b" => 1,
    r"\b(login|log-?in|sign-?in|sso|sync|upload|export|import|integration)s? (is |are |keeps )?(failing|failed|broken|down|not working)\b" => 3,
    r"\bnothing (has )?changed on (our|my) (side|end)\b|\bplease advise\b" => 2,
    r"\b(has been|is|was|went|are|were) blank\b|\b(something|anything) (down|wrong|broken) on your (end|side)\b" => 3,
    r"\b(haven'?t|hasn'?t|have not|has not|weren'?t|wasn'?t) been (generated|created|sent|synced|saved|updated|imported|exported|processed)\b" => 3,
    r"\b(charged|billed) (us )?(twice|double|two times|more than once|incorrectly|the wrong)\b|\bdouble[- ](charged|billed)\b|\brefund\b|\bduplicate (invoice|charge)\b" => 3,
    r"\b(marked|closed) .{0,20}\b(solved|resolved)\b" => 2, r"\bstill (in|showing|broken|happening|there|failing)\b" => 1,
    r"\bsupport\b" => 1, r"\b(won'?t|doesn'?t|does not|will not|can'?t|cannot) (load|open|start|save|print|connect)\b" => 3,
    r"\b(every|each) time (i|we|they|he|she|you) (try|tries|open|upload|log|sync|save)\b|\bwhenever (i|we|they|he|she) (try|open|upload)\b" => 2,
    r"\breinstall(ed|ing)?\b|\b(look at|look into|fix) (it|this|the (issue|problem))\b" => 1,
    r"\b(is|has been|have been|are|went) down\b|\bblank (screen|page)\b" => 2, r"\burgent(ly)?\b|\basap\b|\bstuck\b" => 1, r"\bno funciona\b|\bincidencia\b" => 2);
cues!(CONTRACT,
    r"\b(attorney|lawyer|counsel|legal)\b" => 2, r"\bredlines?\b|\bclause\b|\bsection \d+(\.\d+)*" => 2,
    r"\bmsa\b|\bnda\b|\bdpa\b|\b(data processing|order form) addendum\b|\baddendum\b" => 2,
    r"\bauto-?renewal\b|\bliability\b|\bindemni\w+\b|\btermination\b" => 2, r"\bw-?9\b|\bcertificate of insurance\b|\badditional insured\b" => 2,
    r"\bexecution version\b|\bcountersign\w*\b" => 2, r"\b(subscription|service|services|master|license|licence|sample|vendor|supplier|framework|standard|purchase) (agreement|contract)\b|\bgoverning law\b|\bjurisdiction\b|\bdata retention\b" => 2, r"\bpaperwork\b|\bwet signature\b|\bdocusign\b|\be-?signature\b|\bsoc ?2\b" => 2, r"\border form\b|\bcontract\b|\bterms\b" => 1, r"\bsign(ed|ature)?\b" => 1,
    r"\bcontrato\b|\bcláusula\b|\bjurídico\b" => 2, r"\bsigned and returned\b|\bissue (a|the|our) (po|purchase order)\b|\bsub-?processors?\b" => 2,
    r"\b(rahmen|liefer|dienstleistungs|lizenz)?vertrag\w*\b|\bhaftung\w*\b|\bk[üu]ndigungs\w*\b|§\s?\d+" => 2,
    r"\bcontrat\b|\bresponsabilit[ée]\b|\br[ée]siliation\b|\bconditions g[ée]n[ée]rales\b" => 2);
cues!(MEETING,
    r"\b(i'?m|i am|we'?re|we are|is|are|i'?ll be|we'?ll be) (free|available|around|open)\b" => 2,
    r"\b(works|suits|suit) (for )?(me|us)\b|\b(mon|tues?|wed(nes)?|thu(rs)?|fri)(day)? works\b" => 2,
    r"\bi can do\b|\bwe can do\b|\bcould do\b" => 2, r"\bsend (me |us )?(an|the|a calendar) invite\b|\bcalendar invite\b" => 2,
    r"\b(get|have) .{0,30}\bbooked\b|\bbook (a|the|it|in)\b|\bsort (out )?(dates|a time|times)\b" => 2,
    r"\b(could|can|shall) we (talk|meet|chat|speak|hop on|jump on|find a time|set up|set (something|a time|a call|it|one) up)\b|\bfind a time\b" => 2,
    r"\b(te|os|le|nos) viene bien\b|\bqu[ée] (horario|hora|d[ií]a) te (funciona|va|viene)\b|\ba las \d{1,2}\b" => 2,
    r"\b(podr[ií]amos|podemos) (hablar|vernos|reunirnos|quedar)\b|\bnos vendr[ií]a bien\b|\b(tener|hacer) una (llamada|reuni[oó]n)\b" => 2,
    r"\b(would|could|can|does|do|will) [^.?!]{0,40}\b(suit|work for you|fit)\b|\bhow does [^.?!]{0,40}\blook\b" => 2,
    r"\b(is|are) (best|good|ideal|better) for (me|us)\b|\b(open|free|clear) on (my|our) (side|end)\b|\b(te|os|le|nos) (vendr[ií]a|va) bien\b" => 2,
    r"\b(morning|afternoon|evening)s?\b|\b(before|after|from|until|around) \d{1,2}\b|\bweek of\b|\b(antes|despu[eé]s) de las\b|\ba partir de las\b" => 1,
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?) \d{1,2}\b" => 1,
    r"\b(mon|tues?|wed(nes)?|thu(rs)?|fri)(day)?\b" => 1,
    r"\bwhat does your (diary|calendar|schedule|week|availability) look like\b|\b(your|any) availability\b" => 3,
    r"\bput our heads together\b|\bover a call\b|\b(see|show us) (it|this|the \w+( \w+)?) in action\b" => 2,
    r"\b(walk|take) (us|me) through\b[^.?!]{0,40}\b(sometime|next week|this week|monday|tuesday|wednesday|thursday|friday)\b" => 2,
    r"\b(get|send|give|offer|suggest|propose) (me|us) (a couple of|a few|some|two|three|several) (times|slots|options for a time|dates)\b" => 3, r"\b(mon|tues|wednes|thurs|fri)day'?s (out|no good|bad|tricky)\b" => 1,
    r"\bsome ?time (next|this) week\b" => 1, r"\bat \d{1,2}(:\d{2})?( ?(am|pm|o'?clock))?(\s*[?.!,]|$)" => 1, r"\bwork around (you|your (diary|calendar|schedule))\b" => 2,
    r"\b(grab|get|steal|borrow|book|find|have|set up|schedule) ((\d+|a few|fifteen|twenty|thirty|forty-five)( |-)?(minutes?|mins?)|half an hour|an hour)\b" => 2,
    r"\bany (day|time|morning|afternoon) (but|except|other than|apart from)\b" => 1,
    r"\b(push|move|shift|bump|reschedule|rearrange)\b[^.?!]{0,25}\b(call|meeting|chat|demo|session|catch-?up)\b" => 3,
    r"\b(something'?s|something has) come up\b|\b(later|earlier) in the week\b" => 1,
    r"\b(could|can) we do (mon|tues|wednes|thurs|fri|tomorrow|next|the \d|later|earlier)\w*\b|\b((mon|tues|wednes|thurs|fri)day|tomorrow) instead\b" => 2,
    r"\bcancel (tomorrow'?s|today'?s|our|the|this|my) (call|meeting|chat|demo|session)\b" => 2,
    r"\b(i'?ve got|i have|we have|we'?ve got|there'?s) (a|some) (window|slot|gap|opening)\b" => 3,
    r"\b(can|could) you do (a )?(quick |short )?(call|chat|meeting|zoom|teams|catch-?up|demo|walk-?through|session|presentation)\b|\b\d+ ?min(ute)?s? (is|would be) (plenty|enough|fine)\b" => 2,
    r"\b(set|get|put) (something|a (call|meeting|time|date|chat)) (up|in)\b|\bget together\b|\bfirst thing\b|\bbetween \d{1,2}( ?(am|pm))? and \d{1,2}\b" => 2,
    r"\b(early|mid|late|end of|beginning of) (jan(uary)?|feb(ruary)?|march|april|may|june|july|aug(ust)?|sept(ember)?|oct(ober)?|nov(ember)?|dec(ember)?|next (week|month))\b" => 1,
    r"\b(telefonieren|termin|besprechen)\b|\bw[üu]rde (mir|uns) (gut )?passen\b|\b(nous|se) (parler|voir|appeler|rencontrer)\b|\brendez-vous\b|\b(podemos|poder[íi]amos) (falar|conversar|marcar)\b|\breuni[ãa]o\b|\b(kunnen|zullen) we (bellen|afspreken|praten)\b|\bafspraak\b" => 2,
    r"\b(montag|dienstag|mittwoch|donnerstag|freitag|vormittag|nachmittag|n[äa]chste woche|lundi|mardi|mercredi|jeudi|vendredi|maandag|dinsdag|woensdag|donderdag|vrijdag)\b" => 1, r"\b\d{1,2}([:.]\d{2})?\s*(am|pm)\b|\b\d{1,2}[:.]\d{2}\b" => 1,
    r"\b(next|this) week\b|\bla semana que viene\b|\bpor la (mañana|tarde)\b|\b(lunes|martes|mi[ée]rcoles|jueves|viernes)\b" => 1);
cues!(PRICING,
    r"\bhow much\b|\bwhat (would|does|will|do) (it|this|that|something like this|you) (cost|charge)\b" => 3,
    r"\b(cheaper|less expensive|lower[- ]cost|discounted|reduced|lighter|view-only|read-only) (seat|license|licence|tier|plan|option|user|version)s?\b|\bneed (a |their own )?(full|paid|separate) (license|licence|seat)\b" => 2,
    r"\b(do you (have|do|offer)|is there|have you got) (anything|something|a (plan|package|tier|version|option|deal|rate)) (for|aimed at|suited to) (companies|teams|businesses|firms|shops|outfits|someone|smaller|small|us|a (company|team|business|shop|firm))\b" => 2,
    r"\bwhat (would|does|will|might) [^.?!]{0,30}\b(run|cost|charge|set)( (us|me|you))?( back)?\b[^.?!]{0,120}\?" => 3,
    r"\b(included|billed separately|charged separately|extra cost|per (tech|technician|user|seat|month))\b[^.?!]{0,40}\?" => 1,
    r"\b(cost|price|pricing|quote|fee|discount|rate)s?\b[^.?!]{0,80}\?" => 2,
    r"\bwhat (are|would|will) we (be )?looking at\b[^.?!]{0,60}\?|\bwhat'?s (that|it|this) (going to|gonna) (run|set) (us|me) back\b" => 3,
    r"\$\s?\d[\d,.]*k?\s*(a|per|/)\s*(month|year|seat|user|tech|head)\b" => 1,
    r"\b(priced|charged|billed)\b[^.?!]{0,60}\?" => 2, r"\bwhat'?s the damage\b" => 3,
    r"\bwhat (we'?d|we would|we'?ll|we will|i'?d|i would) (actually )?(be )?(spending|paying|looking at)\b" => 3, r"\badd-on price\b|\bsetup fee\b|\bimplementation fee\b" => 2,
    r"\b(give|send|share|get) (me|us) [^.?!]{0,20}\b(ballpark|quote|price|pricing|estimate|rates?)\b" => 3, r"\bballpark\b" => 1,
    r"\b(cost|price|pricing|quote|fees?)\b" => 1, r"\bminimum (contract|term|commitment|length|period)\b|\bwhat\b[^.?!]{0,20}\b(would|will|does|might)\b[^.?!]{0,10}\b(run|cost|set) (us|me|you)\b|\b(rough idea|rough number|ballpark figure|indicative (price|number))\b|\btarifs?\b|\bprix\b|\bdevis\b|\bcombien\b|\bpreise?\b|\bkosten\b|\bangebot\b|\bpre[çc]os?\b|\bor[çc]amento\b|\bprijs\b|\bofferte\b|\bmonth[- ]to[- ]month\b|\bpay (monthly|annually|yearly|up ?front|in advance)\b|\bpayment terms\b|\b(pagamos|pagar) (el año|por adelantado)\b|\bdescuento\b|\bqu[ée] precio\b" => 2, r"\bcu[aá]nto cuesta\b|\bprecios?\b|\bpresupuesto\b" => 2);
cues!(OBJECTION,
    r"\b(doesn'?t|does not|won'?t|will not|wouldn'?t) (work|fly) for (us|me)\b" => 3, r"\bi'?m not paying\b|\bnot going to (go above|pay|approve)\b" => 3,
    r"\btoo (expensive|pricey|high|steep|much)\b" => 3, r"\bcan'?t (justify|approve|afford|get this through)\b" => 3,
    r"\bblocks? us\b|\bblocker\b|\bdeal-?breaker\b|\bnon-?starter\b" => 3,
    r"\bwon'?t satisfy\b|\b(not|isn'?t) (good )?enough\b" => 2, r"\b(not sure|don'?t think) (i|we) can\b" => 2,
    r"\bshot down\b|\bpush ?back\b" => 2, r"\b(more|higher) than (we|our) ([a-z]+ )?(budget(ed)?|expected|planned)\b" => 3,
    r"\bhard to (make the case|justify|sell|get approval)\b" => 3,
    r"\b(not sure|don'?t (think|know))\b[^.?!]{0,40}\bworth\b" => 3,
    r"\bwe'?d have to (retrain|re-?train|migrate|rip out|replace|change|rebuild|redo)\b|\bin the middle of (our|the) (busy|peak)\b" => 2,
    r"\bwon'?t (sign off on|approve|accept|buy|sign) (anything|it|this)\b[^.?!]{0,40}\bwithout\b" => 3,
    r"\bif (that|this|it) (isn'?t|is not|'s not)\b[^.?!]{0,40}\b(can'?t|cannot|won'?t)\b" => 3,
    r"\b(competitor|another vendor|other vendor|other quote|another quote|the other (supplier|vendor|provider))\b[^.?!]{0,60}\b(came in|cheaper|lower|less|half|two thirds|fraction)\b" => 3,
    r"\bi'?d (rather|prefer to|like to) go with you,? but\b|\b(that|the|this) (price )?gap\b" => 2,
    r"\b(the )?(thing|part|bit|one thing) that (worries|concerns|bothers|scares|worried) (me|us)\b" => 3,
    r"\b(tried|used|had) (a system|something|one|a tool|software|an app|a product) like (this|that|yours)\b" => 2,
    r"\brefused to use\b|\bwouldn'?t use (it|them)\b|\bdidn'?t (stick|take|work out|get used)\b" => 2,
    r"\b(don'?t|do not|can'?t) see (this|it|that) (going|working|being|turning out|getting|happening|flying|passing)\b" => 3,
    r"\b(nervous|uneasy|uncomfortable|wary|twitchy) (about|with|of)\b" => 2, r"\bunless (there'?s|there is|you (have|offer|can))\b" => 2,
    r"\bmore than (we|i) need\b|\boverkill\b" => 2,
    r"\b(two|a few|a couple of|some|several|three) (things|points|bits|issues|concerns) (worry|concern|bother|trouble) (me|us)\b|\b(worries|concerns|bothers|troubles) me\b" => 3,
    r"\bi (don'?t|do not) (love|like) (the|a|that|this|being|having)\b" => 2,
    r"\b(looks|sounds|seems|reads) (good|great|fine|interesting|solid|ok|okay)( overall)?,? but\b" => 1,
    r"\b(big|huge|steep|large|massive) (jump|step|increase|leap)\b" => 3,
    r"\bmy (main |biggest |one |only )?(concern|worry|hesitation|issue|problem|reservation) (is|was|here is)\b|\bthat'?s a (problem|deal-?breaker|non-?starter|concern|worry) for (us|me)\b" => 3,
    r"\bwe'?re stuck\b|\b(the board|procurement|finance|my boss|our (cfo|ceo|owner|board)) (wants|needs|requires|insists on)\b|\b(three|3|multiple|competing) (quotes|bids|proposals)\b" => 2,
    r"\b(felt|feels|is|was|seemed|seems) (a bit |too |really |quite )?(clunky|slow|confusing|complicated|awkward|hard to use|fiddly)\b" => 3,
    r"\bif (that|this|it) (doesn'?t|does not|won'?t) (improve|change|get better|get fixed)\b|\bcan'?t see (them|us|the guys|my team|anyone|our \w+) using\b" => 3,
    r"\bmore than (we|i) can (justify|afford|spend|stretch to)\b" => 3, r"\b(ever )?flex on\b|\bnegotiable\b" => 1, r"\bhoping to [a-z ]{0,20}(closer to|under|below)\b" => 2, r"\bworr(y|ied|ies)\b" => 1, r"\b(our|the|their) requirement is\b|\bproblem:|\bthe (problem|issue|concern) is\b" => 2,
    r"\bconcern(ed|s)? (about|that|with)\b|\bcheaper\b|\b(is|are) at \$\d+" => 1, r"\bdemasiado caro\b|\bno nos encaja\b" => 3);
cues!(POSITIVE,
    r"\blooking forward\b|\bexcited\b|\bkeen\b|\boptimistic\b" => 2, r"\b(we'?ll|we will|we'?d like to|let'?s) (go with|move forward|proceed|do it|start)\b" => 3,
    r"\b(want|wants|would like|'?d like|are ready|is ready|decided|agreed) to (proceed|go ahead|move forward|move ahead|get started|sign up|get going)\b" => 3, r"\b(main|primary|single) (point of )?contact for the (rollout|implementation|onboarding|project|setup)\b" => 2,
    r"\bbasically there\b|\bready to (go|sign|move)\b|\b(can|could) we start\b" => 3, r"\b(as promised|here you go|attached (are|is))\b" => 2,
    r"\b(loved|love|really liked|impressed|great demo|sounds great)\b" => 1,
    r"\blooks? (solid|good|great|spot on|really good)\b" => 2, r"\b(don'?t|do not) (expect|foresee|anticipate) (any )?(issues|problems|objections|pushback|surprises)\b" => 3, r"\bthanks for\b|\bthank you for\b" => 1,
    r"\bnos gustar[ií]a\b|\bencantad[oa]s?\b" => 1,
    r"\b(wir sind|sind wir) (sehr )?interessiert\b|\bweitermachen\b|\bnous sommes (tr[èe]s )?int[ée]ress[ée]s\b|\b(estamos|seguimos) interesados en (seguir|avanzar|continuar)\b|\b(estamos|ficamos) interessados\b" => 3);

// What is left when no category has its evidence: a doubt or a difficulty voiced reads as an
// objection to answer, not as interest.
cues!(DOUBT,
    r"\bworr(y|ied|ies|ying)\b|\bconcern(ed|s)?\b|\bhesita\w+\b|\bsceptic\w*|\bskeptic\w*|\bdoubt(s|ful)?\b" => 2,
    r"\b(not|isn'?t|aren'?t) (convinced|sure|clear)\b|\bunfortunately\b|\bdisappoint\w*\b|\bfrustrat\w*\b" => 2,
    r"\b(problem|risk|difficult|hard|tricky|painful|headache)\b" => 1, r"\b(can'?t|cannot|won'?t|wouldn'?t|couldn'?t)\b" => 1);

/// The category's default action (the data README's table).
pub fn action_for(category: &str) -> &'static str {
    match category {
        "meeting_request" => "find_meeting_times",
        "pricing_question" | "objection" | "positive_interest" => "draft_reply_needs_approval",
        "not_interested" | "out_of_office" | "referral_wrong_person" => "update_crm",
        "support_issue" | "contract_legal" => "notify_rep",
        _ => "ignore",
    }
}

/// The category and the cue scores that decided it.
pub fn categorize(e: &Email, text: &str, crm: &Crm<'_>) -> (&'static str, Value) {
    let scored = subject_and(&e.subject, text);
    let ooo = OUT_OF_OFFICE.score(&scored);
    if e.auto_submitted() || ooo >= 4 {
        return (
            "out_of_office",
            json!({"out_of_office": ooo, "auto_submitted": e.auto_submitted()}),
        );
    }
    let bulk = e.header("List-Unsubscribe").is_some() as u32 * 2
        + e.header("Precedence")
            .is_some_and(|p| p.eq_ignore_ascii_case("bulk") || p.eq_ignore_ascii_case("list"))
            as u32;
    let spam = SPAM.score(&scored) + bulk;
    if spam >= 3 && !crm.knows_sender() {
        return ("vendor_pitch_spam", json!({"vendor_pitch_spam": spam}));
    }
    let gates = [
        ("referral_wrong_person", REFERRAL.score(text), 3),
        ("not_interested", NOT_INTERESTED.score(text), 3),
    ];
    if let Some((cat, s, _)) = gates
        .iter()
        .filter(|(_, s, min)| s >= min)
        .max_by_key(|(_, s, _)| *s)
    {
        return (cat, json!({ *cat: s }));
    }
    // Weighed in this order: on a tie the earlier one wins (an objection about price is an
    // objection; a contract question about a meeting is still contractual).
    let weighed = [
        ("objection", OBJECTION.score(text)),
        ("contract_legal", CONTRACT.score(&scored)),
        ("support_issue", SUPPORT.score(&scored)),
        ("meeting_request", MEETING.score(text)),
        ("pricing_question", PRICING.score(text)),
        ("positive_interest", POSITIVE.score(text)),
    ];
    let scores: serde_json::Map<String, Value> = weighed
        .iter()
        .map(|(k, s)| (k.to_string(), json!(s)))
        .collect();
    let best = weighed.iter().filter(|(cat, s)| *s >= threshold(cat)).fold(
        None,
        |best: Option<(&str, u32)>, (c, s)| match best {
            Some((_, b)) if b >= *s => best,
            _ => Some((c, *s)),
        },
    );
    // No category has its evidence: a doubt voiced is an objection; else the category whose
    // examples' words this email shares most ([`triage_words`]), among those a person sees.
    let fallback = if DOUBT.score(text) >= 3 && POSITIVE.score(text) < 2 {
        "objection"
    } else {
        crate::triage_words::guess(&scored).unwrap_or("positive_interest")
    };
    (best.map_or(fallback, |(c, _)| c), Value::Object(scores))
}

/// A category needs this much evidence before it beats the default.
fn threshold(category: &str) -> u32 {
    match category {
        "objection" | "contract_legal" | "support_issue" => 3,
        // availability needs both an offer or ask and a when
        "meeting_request" => 4,
        _ => 2,
    }
}

/// The one address on the copy line other than the sender, with its display name.
fn copied_in(e: &Email) -> Option<Value> {
    let sender = e.sender();
    let mut copied =
        e.cc.iter()
            .filter_map(|c| email::address(c).map(|a| (c, a)))
            .filter(|(_, a)| *a != sender);
    let (raw, addr) = copied.next()?;
    if copied.next().is_some() {
        return None; // several copied in: which one is meant is not said
    }
    Some(json!({"name": email::display_name(raw), "email": addr, "title": null}))
}

/// What subject-wide cues and the word-count fallback read: the subject without its
/// "Re:"/"Fwd:" prefixes, then the new text.
pub fn subject_and(subject: &str, new_text: &str) -> String {
    format!("{}\n{}", strip_prefixes(subject), new_text)
}

pub fn strip_prefixes(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        match ["re:", "fw:", "fwd:", "rv:", "aw:"]
            .iter()
            .find(|p| lower.starts_with(*p))
        {
            Some(p) => s = s[p.len()..].trim_start(),
            None => return s,
        }
    }
}

/// The skill: `{email fields…, "org"?: <org>}` or `{"email": <email>, "org"?: <org>}`.
pub fn classify_email(input: &Value) -> Result<Value, String> {
    let raw = input
        .get("email")
        .filter(|e| e.is_object())
        .unwrap_or(input);
    let e = Email::parse(raw)?;
    let text = e.new_text();
    let org = input
        .get("org")
        .or_else(|| input.pointer("/context/org"))
        .unwrap_or(&Value::Null);
    let crm = Crm::match_sender(org, &e);
    let (category, scores) = categorize(&e, &text, &crm);
    let mut out = json!({
        "email_id": e.id,
        "category": category,
        "action": action_for(category),
        "language": email::language(&text),
        "contact_id": crm.contact_id(),
        "cc_contact_ids": Crm::thread_contacts(org, &e),
        "deal_id": crm.deal_id(),
        "company_id": crm.company_id(),
        "owner_user_id": crm.owner_user_id(),
        "autoreply": e.auto_submitted() || category == "out_of_office",
        "subject": e.subject,
        "text": text,
        "scores": scores,
    });
    if category == "out_of_office" {
        out["return_date"] = json!(extract_return_date(&text, e.date.as_deref()));
    }
    if category == "referral_wrong_person" {
        // Named in the text, else the one person the sender copied in ("I've cc'd our COO").
        out["referred_to"] = triage_crm::referred_to(&text, &e.sender())
            .or_else(|| copied_in(&e))
            .unwrap_or(Value::Null);
    }
    if category == "not_interested" {
        out["opt_out"] = json!(triage_crm::opted_out(&text));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(body: &str) -> &'static str {
        let e = Email::parse(&json!({
            "id": "t", "from": "Ann Lee <ann@example.com>", "to": ["liam.ross@brightlane.io"],
            "subject": "Re: Brightlane", "body_text": body,
        }))
        .unwrap();
        let crm = Crm::match_sender(&Value::Null, &e);
        categorize(&e, &e.new_text(), &crm).0
    }

    /// Each cue family's look-alikes: the words are there, the meaning is not.
    #[test]
    fn look_alikes_keep_their_own_category() {
        let cases = [
            // who makes the decision is the sender: no referral
            (
                "I make these decisions, so you're talking to the right person. How much would 20 seats cost?",
                "pricing_question",
            ),
            (
                "Mr. Kaplan makes these decisions, he's best reached at dk@example.com.",
                "referral_wrong_person",
            ),
            // a contract that ends is a start date, not a no
            (
                "We're locked into our current contract until March, so an April start would suit. Could we find a time next week to plan it? Tuesday or Thursday morning works.",
                "meeting_request",
            ),
            (
                "We're tied into a contract with our provider until October, but happy to look at it again in the summer.",
                "not_interested",
            ),
            (
                "Looks good, but what would it cost for 20 techs?",
                "pricing_question",
            ),
            (
                "Looks good overall, but two things worry me: the rollout lands in our busy season and I don't love the three-year term.",
                "objection",
            ),
            // a person away who still asks for a meeting is not an autoreply
            (
                "I'm away until Monday, but happy to talk then. Does Tuesday at 10 work for you?",
                "meeting_request",
            ),
            (
                "I'm away until 3/1 with limited email. For anything that can't wait, call the office.",
                "out_of_office",
            ),
            (
                "The whole project's on ice until the new owners settle in.",
                "not_interested",
            ),
            // a fit in doubt is an objection; one ruled out with the file closed is a no
            (
                "I'm worried it's not a fit for our smaller crews. Can you show me how it works for a five-person team?",
                "objection",
            ),
            (
                "We've reviewed it internally and it's not a fit for how we work. Please close this out on your end.",
                "not_interested",
            ),
            // a colleague who runs the project, not the sender's own project
            (
                "I think you want my colleague Dana, she's heading up the software project now.",
                "referral_wrong_person",
            ),
            (
                "We're heading up the rollout ourselves. Could we grab 30 minutes next week? Any day but Friday.",
                "meeting_request",
            ),
            // a decision made, an office left, a diary kept on paper
            (
                "The partners reviewed it last night and want to proceed.",
                "positive_interest",
            ),
            (
                "We manage fine with a paper diary. Thanks anyway.",
                "not_interested",
            ),
            (
                "I actually left last month. My replacement is Ben Ortiz, ben@example.com.",
                "referral_wrong_person",
            ),
            // moving office is not moving role
            (
                "I moved over to the new office in January. Could we meet there next week? Tuesday morning works.",
                "meeting_request",
            ),
            (
                "I moved over to finance in January, so I don't deal with the ops software anymore. Mark took over from me and is the one to talk to.",
                "referral_wrong_person",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(category(body), want, "{body}");
        }
    }
}
