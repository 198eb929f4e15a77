folioSearchPage(6,{"t":"Only English","u":"only-english.html","d":"Has no translation.","h":[],"x":"Only English Back to links ."});
