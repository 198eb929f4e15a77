/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"9175ae2b3f62a410","locale":"en-us","lang":"en-us","pages":8,"shards":[""]});
