/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"581be5c7a14e22c3","locale":"en-us","lang":"en-us","pages":8,"shards":[""]});
